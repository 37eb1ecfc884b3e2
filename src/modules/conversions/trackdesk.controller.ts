import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';

/** Trackdesk's conversion API shape (SPEC §6): dotted GET parameters or the nested JSON. */
@ApiTags('conversions in')
@Controller('tracking/conversion/v1')
export class TrackdeskController {
  constructor(private readonly responder: IntakeResponder) {}

  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'trackdesk');
  }

  @Post()
  post(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'trackdesk');
  }
}
