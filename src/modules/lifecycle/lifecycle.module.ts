import { Module } from '@nestjs/common';
import { VisitLifecycleJob } from './visit-lifecycle.job';

/** The data lifecycle (SPEC §9): partitions of `visits` ahead of time and retention. */
@Module({ providers: [VisitLifecycleJob], exports: [VisitLifecycleJob] })
export class LifecycleModule {}
