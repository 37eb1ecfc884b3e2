import { IsIn, IsString, Length } from 'class-validator';
import type { ApiKeyScope } from './api-key.entity';

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsIn(['admin', 'read'])
  scope: ApiKeyScope;
}
