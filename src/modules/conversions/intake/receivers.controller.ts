import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IntakeResponder } from './intake.responder';
import { receiverRoutes } from './receivers';

type Handler = (req: FastifyRequest, reply: FastifyReply, pathParam?: string) => Promise<void>;

/**
 * Every conversion receiver of the registry (`receivers.ts`, SPEC §6) as a route: one method per
 * route and HTTP method, made from the registry when this file loads, so a receiver cannot exist
 * without its route nor a route without its receiver. Each answers through the responder.
 */
@ApiTags('conversions in')
@Controller()
export class ReceiversController {
  constructor(@Inject(IntakeResponder) readonly responder: IntakeResponder) {}
}

const proto = ReceiversController.prototype as unknown as Record<string, Handler>;
for (const { url, receiver } of receiverRoutes()) {
  const pathParam = /:(\w+)/.exec(url)?.[1];
  for (const method of receiver.methods) {
    const name = `${method.toLowerCase()}${url.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`;
    const handler: Handler =
      receiver.adapter === 'pixel'
        ? function (this: ReceiversController, req, reply) {
            return this.responder.pixel(req, reply);
          }
        : function (this: ReceiversController, req, reply, networkId) {
            return this.responder.answer(req, reply, receiver.adapter, pathParam === 'networkId' ? (networkId ?? null) : null);
          };
    Object.defineProperty(handler, 'name', { value: name });
    Object.defineProperty(proto, name, { value: handler, writable: true, configurable: true, enumerable: false });
    // What the compiler would emit for a written method: the document reads path parameters from it.
    Reflect.defineMetadata('design:paramtypes', [Object, Object, String], proto, name);
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    (method === 'GET' ? Get : Post)(url)(proto, name, descriptor);
    Req()(proto, name, 0);
    Res()(proto, name, 1);
    if (pathParam) Param(pathParam)(proto, name, 2);
  }
}
