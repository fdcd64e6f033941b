import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingModule } from '../routing/routing.module';
import { ChatCompletionsController } from './chat-completions.controller';
import { EmbeddingsController } from './embeddings.controller';
import { GatewayPipeline } from './gateway-pipeline.service';
import { MessagesController } from './messages.controller';
import { ModelsController } from './models.controller';

@Module({
  imports: [RoutingModule, ProvidersModule],
  controllers: [
    ModelsController,
    ChatCompletionsController,
    MessagesController,
    EmbeddingsController,
  ],
  providers: [GatewayPipeline],
})
export class GatewayModule {}
