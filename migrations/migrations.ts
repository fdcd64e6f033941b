import { CustomProvidersAndAudit1795616837620 } from './1795616837620-CustomProvidersAndAudit';
import { InitialSchema1795616255183 } from './1795616255183-InitialSchema';

/** Every migration in order; listed explicitly so ts-node, jest and the compiled app load the same set. */
export const MIGRATIONS = [InitialSchema1795616255183, CustomProvidersAndAudit1795616837620];
