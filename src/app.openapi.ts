import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './openapi/contract';

/** The OpenAPI document of the running app: served at /api/docs/json, written by `npm run openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracker API')
    .setDescription('Self-hosted conversion tracker: the contract is docs/api.md; this document is generated from the code and checked against real answers.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config));
}
