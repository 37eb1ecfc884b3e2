import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Type, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { parseIncludeArchived } from '../../common/crud';
import { Page, PageRequest, parsePageRequest } from '../../common/paging';
import { createValidationPipe } from '../../common/validation.pipe';

/** What a management resource's service offers to its controller (SPEC §3). */
export interface CrudService<C, U, V> {
  create(dto: C): Promise<V>;
  list(page: PageRequest, includeArchived: boolean, query: Record<string, unknown>): Promise<Page<V>>;
  get(id: string): Promise<V>;
  update(id: string, dto: U): Promise<V>;
  remove(id: string): Promise<void>;
}

/**
 * The five routes every management resource has, written once. A resource's controller extends
 * the returned class with `@Controller('api/v1/<path>')` and passes its service to `super`.
 */
export function CrudController<C extends object, U extends object, V>(createDto: Type<C>, updateDto: Type<U>) {
  const createPipe = createValidationPipe(createDto);
  const updatePipe = createValidationPipe(updateDto);

  @ApiBearerAuth()
  @UseGuards(ApiKeyGuard)
  abstract class Crud {
    constructor(protected readonly service: CrudService<C, U, V>) {}

    @Post()
    @ApiBody({ type: createDto })
    create(@Body(createPipe) dto: C): Promise<V> {
      return this.service.create(dto);
    }

    @Get()
    list(@Query() query: Record<string, unknown>): Promise<Page<V>> {
      return this.service.list(parsePageRequest(query), parseIncludeArchived(query), query);
    }

    @Get(':id')
    get(@Param('id') id: string): Promise<V> {
      return this.service.get(id);
    }

    @Patch(':id')
    @ApiBody({ type: updateDto })
    update(@Param('id') id: string, @Body(updatePipe) dto: U): Promise<V> {
      return this.service.update(id, dto);
    }

    @Delete(':id')
    @HttpCode(204)
    async remove(@Param('id') id: string): Promise<void> {
      await this.service.remove(id);
    }
  }
  return Crud;
}
