import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingModule } from '../routing/routing.module';
import { ChatCompletionsController } from './chat-completions.controller';
import { GatewayPipeline } from './gateway-pipeline.service';
import { ModelsController } from './models.controller';

@Module({
  imports: [RoutingModule, ProvidersModule],
  controllers: [ModelsController, ChatCompletionsController],
  providers: [GatewayPipeline],
})
export class GatewayModule {}
