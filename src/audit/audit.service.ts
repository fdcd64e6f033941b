import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, type EntityManager } from 'typeorm';
import { InvalidRequestError } from '../common/errors/api-error';
import type { AdminPrincipal } from '../common/http/request-context';
import { redact } from '../common/logging/redact';
import { OrganizationsService } from '../tenancy/organizations.service';
import { toAuditLogResponse, type AuditLogListResponseDto } from './dto/audit-log-response.dto';
import type { ListAuditLogsQueryDto } from './dto/list-audit-logs-query.dto';
import { AuditLogEntity, type AuditChanges } from './entities/audit-log.entity';
import { newId } from '../common/ids';

export interface AuditEntry {
  organizationId: string;
  projectId?: string | null;
  /** `<resource>.<verb>`, e.g. `provider.update`. */
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly auditLogs: Repository<AuditLogEntity>,
    private readonly organizations: OrganizationsService,
  ) {}

  /**
   * Writes the audit row with the caller's `manager`, inside the transaction that makes the change,
   * so a change is never committed without its audit row.
   */
  async record(manager: EntityManager, caller: AdminPrincipal, entry: AuditEntry): Promise<void> {
    const row = manager.create(AuditLogEntity, {
      id: newId('aud'),
      organizationId: entry.organizationId,
      projectId: entry.projectId ?? null,
      actorType: caller.kind,
      actorId: caller.kind === 'admin_key' ? caller.keyId : null,
      actorName: caller.kind === 'admin_key' ? caller.keyName : 'root',
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      changes: redact({ before: entry.before, after: entry.after }) as AuditChanges,
      ip: caller.ip,
      userAgent: caller.userAgent?.slice(0, 512) ?? null,
      createdAt: new Date(),
    });
    await manager.save(AuditLogEntity, row, { reload: false });
  }

  /** Newest first, `limit` at a time; `nextCursor` continues where a page ended. */
  async list(
    caller: AdminPrincipal,
    organizationId: string,
    query: ListAuditLogsQueryDto,
  ): Promise<AuditLogListResponseDto> {
    await this.organizations.findVisible(caller, organizationId);
    const limit = query.limit ?? 50;
    const builder = this.auditLogs
      .createQueryBuilder('log')
      .where('log.organization_id = :organizationId', { organizationId })
      .orderBy('log.created_at', 'DESC')
      .addOrderBy('log.id', 'DESC')
      .take(limit + 1);
    if (query.action) builder.andWhere('log.action = :action', { action: query.action });
    if (query.projectId)
      builder.andWhere('log.project_id = :projectId', { projectId: query.projectId });
    if (query.actorId) builder.andWhere('log.actor_id = :actorId', { actorId: query.actorId });
    if (query.actorType)
      builder.andWhere('log.actor_type = :actorType', { actorType: query.actorType });
    if (query.from) builder.andWhere('log.created_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('log.created_at < :to', { to: new Date(query.to) });
    if (query.cursor) {
      const { createdAt, id } = decodeCursor(query.cursor);
      builder.andWhere(
        new Brackets((where) =>
          where
            .where('log.created_at < :cursorTime', { cursorTime: createdAt })
            .orWhere('(log.created_at = :cursorTime AND log.id < :cursorId)', {
              cursorTime: createdAt,
              cursorId: id,
            }),
        ),
      );
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toAuditLogResponse),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}

function encodeCursor(row: AuditLogEntity): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    const createdAt = new Date(String(time));
    if (typeof id === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new InvalidRequestError(
    'cursor is not a value returned as nextCursor by this endpoint',
    'cursor',
    'invalid_cursor',
  );
}
