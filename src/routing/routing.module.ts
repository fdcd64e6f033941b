import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { ModelRouter } from './model-router.service';

@Module({
  imports: [ProvidersModule],
  providers: [ModelRouter],
  exports: [ModelRouter],
})
export class RoutingModule {}
