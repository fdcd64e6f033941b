import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ConnectionTester } from './connection-tester.service';
import { CustomProvidersController } from './custom-providers.controller';
import { CustomProvidersService } from './custom-providers.service';
import { CustomProviderModelEntity } from './entities/custom-provider-model.entity';
import { CustomProviderEntity } from './entities/custom-provider.entity';
import { UpstreamForwarder } from './forwarding/upstream-forwarder.service';
import { ProviderChanges } from './provider-changes.service';
import { ProviderConnectionsService } from './provider-connections.service';
import { ProviderKeyVault } from './provider-key-vault.service';
import { ProviderModelsController } from './provider-models.controller';
import { UpstreamClient } from './upstream/upstream-client.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CustomProviderEntity, CustomProviderModelEntity]),
    TenancyModule,
  ],
  controllers: [CustomProvidersController, ProviderModelsController],
  providers: [
    CustomProvidersService,
    ProviderConnectionsService,
    ProviderKeyVault,
    ProviderChanges,
    ConnectionTester,
    UpstreamClient,
    UpstreamForwarder,
  ],
  exports: [
    CustomProvidersService,
    ProviderKeyVault,
    ProviderChanges,
    UpstreamClient,
    UpstreamForwarder,
  ],
})
export class ProvidersModule {}
