import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ModelListResponseDto } from './dto/model-list-response.dto';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/models')
export class ModelsController {
  @Get()
  @ApiOperation({ summary: "List the models this key's project can use (OpenAI format)" })
  @ApiOkResponse({ type: ModelListResponseDto })
  list(): ModelListResponseDto {
    return { object: 'list', data: [] };
  }
}
