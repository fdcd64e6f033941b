import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, SECRETS } from '../config/config.module';
import type { Secrets } from '../config/local-secrets';
import { SecretBox } from './secret-box.service';

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [SECRETS, APP_CONFIG],
      useFactory: (secrets: Secrets, config: AppConfig): SecretBox =>
        new SecretBox(secrets.masterKey, config.previousMasterKeys),
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
