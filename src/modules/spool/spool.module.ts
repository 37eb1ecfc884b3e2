import { Global, Module } from '@nestjs/common';
import { SpoolService } from './spool.service';

/** The local spool (SPEC §4), for the click writer and the pixel intake. */
@Global()
@Module({ providers: [SpoolService], exports: [SpoolService] })
export class SpoolModule {}
