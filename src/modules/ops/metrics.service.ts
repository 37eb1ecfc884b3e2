import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics: process defaults plus request counts and latencies by route. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** SPEC §6: every conversion call (postback, pixel, upload row) by what became of it. */
  readonly conversionCalls = new Counter({
    name: 'tracker_conversion_calls_total',
    help: 'Conversion calls by endpoint and outcome (accepted, updated, duplicate, unattributed, rejected, refused)',
    labelNames: ['endpoint', 'outcome'],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'tracker_rate_limited_total',
    help: 'Conversion calls refused by the per-address rate limit',
    labelNames: ['endpoint'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }
}
