import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AdminKeysController } from './admin-keys.controller';
import { AdminKeysService } from './admin-keys.service';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AdminKeyEntity } from './entities/admin-key.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { GatewayKeyCache } from './gateway-key-cache.service';
import { AdminAuthGuard } from './guards/admin-auth.guard';
import { GatewayKeyGuard } from './guards/gateway-key.guard';

// Global so that every module's controllers can use @AdminAuth()/@GatewayAuth() without importing
// this module, which itself needs tenancy (projects and organizations own the keys).
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AdminKeyEntity, ApiKeyEntity]), TenancyModule],
  controllers: [AdminKeysController, ApiKeysController],
  providers: [AdminKeysService, ApiKeysService, GatewayKeyCache, AdminAuthGuard, GatewayKeyGuard],
  exports: [AdminKeysService, GatewayKeyCache, AdminAuthGuard, GatewayKeyGuard],
})
export class AuthModule {}
