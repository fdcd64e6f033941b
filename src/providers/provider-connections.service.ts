import { Injectable } from '@nestjs/common';
import type { AdminPrincipal } from '../common/http/request-context';
import { ProjectsService } from '../tenancy/projects.service';
import { normaliseBaseUrl } from './base-url';
import { ConnectionTester } from './connection-tester.service';
import { CustomProvidersService } from './custom-providers.service';
import type {
  ConnectionTestResultDto,
  TestDraftProviderDto,
  TestSavedProviderDto,
} from './dto/test-connection.dto';
import { ProviderKeyVault } from './provider-key-vault.service';

/** Connection tests of saved providers (their stored key, result saved) and of drafts (nothing stored). */
@Injectable()
export class ProviderConnectionsService {
  constructor(
    private readonly providers: CustomProvidersService,
    private readonly projects: ProjectsService,
    private readonly vault: ProviderKeyVault,
    private readonly tester: ConnectionTester,
  ) {}

  async testSaved(
    caller: AdminPrincipal,
    projectId: string,
    providerId: string,
    dto: TestSavedProviderDto,
  ): Promise<ConnectionTestResultDto> {
    const { provider, organizationId } = await this.providers.findVisible(
      caller,
      projectId,
      providerId,
    );
    const models = await this.providers.modelsOf(providerId);
    const result = await this.tester.test({
      baseUrl: provider.baseUrl,
      format: provider.format,
      apiKey: this.vault.open(provider, organizationId),
      model: dto.model ?? null,
      fallbackModels: models.map((model) => model.upstreamName ?? model.name),
    });
    await this.providers.saveTestResult(providerId, result);
    return result;
  }

  async testDraft(
    caller: AdminPrincipal,
    projectId: string,
    dto: TestDraftProviderDto,
  ): Promise<ConnectionTestResultDto> {
    await this.projects.findVisible(caller, projectId);
    return this.tester.test({
      baseUrl: normaliseBaseUrl(dto.baseUrl),
      format: dto.format,
      apiKey: dto.apiKey ?? null,
      model: dto.model ?? null,
      fallbackModels: [],
    });
  }
}
