import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';

/**
 * The conversion pixel (SPEC §6). `/:account/a.gif` ends in a fixed segment, so it never takes
 * a path of another route; the account is accepted for TrackingDesk-style URLs and ignored.
 */
@ApiTags('conversions in')
@Controller()
export class PixelController {
  constructor(private readonly responder: IntakeResponder) {}

  @Get('a.gif')
  pixel(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.pixel(req, reply);
  }

  @Get(':account/a.gif')
  accountPixel(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.responder.pixel(req, reply);
  }
}
