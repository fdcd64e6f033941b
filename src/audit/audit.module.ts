import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AuditLogsController } from './audit-logs.controller';
import { AuditService } from './audit.service';
import { AuditLogEntity } from './entities/audit-log.entity';

// Global: every module that changes something records it here, inside its own transaction.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity]), TenancyModule],
  controllers: [AuditLogsController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
