import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';

/** Generic postbacks (SPEC §6): parameters in the query, a form body or JSON. */
@ApiTags('conversions in')
@Controller('postback')
export class PostbackController {
  constructor(private readonly responder: IntakeResponder) {}

  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'generic');
  }

  @Post()
  post(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.answer(req, reply, 'generic');
  }

  @Get(':networkId')
  getFor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('networkId') networkId: string): Promise<void> {
    return this.responder.answer(req, reply, 'generic', networkId);
  }

  @Post(':networkId')
  postFor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('networkId') networkId: string): Promise<void> {
    return this.responder.answer(req, reply, 'generic', networkId);
  }
}
