import { Body, Controller, Get, HttpCode, Param, Post, Req, UploadedFiles, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/auth.decorators';
import type { IntakeUpload } from '../../testimonies/testimony-upload-storage';
import { TestifyExceptionFilter } from './testify-exception.filter';
import { languageOf, valuesOf } from './testify-form';
import { TestifyPages } from './testify-pages.service';
import { TestifyUploadInterceptor } from './testify-upload.interceptor';
import { TestifyGuard } from './testify.guard';

/**
 * The People's UPR intake form, signed out, in English, Spanish, French and Haitian Creole
 * (`?lang=`, else Accept-Language). Not a WebController: no session, no CSRF cookie (TestifyGuard
 * checks where a post came from instead), errors as translated pages (TestifyExceptionFilter).
 * The bodies are read as plain objects (valuesOf), so that a refusal is a translated page.
 */
@Controller('testify/:slug')
@Public()
@ApiExcludeController()
@UseGuards(TestifyGuard)
@UseFilters(TestifyExceptionFilter)
export class TestifyPagesController {
  constructor(private readonly pages: TestifyPages) {}

  @Get()
  form(@Req() request: Request, @Param('slug') slug: string): Promise<string> {
    return this.pages.emptyForm('form', slug, languageOf(request));
  }

  @Post()
  @HttpCode(200)
  @UseInterceptors(TestifyUploadInterceptor)
  submit(@Req() request: Request, @Param('slug') slug: string, @Body() body: Record<string, unknown>, @UploadedFiles() files?: IntakeUpload[]): Promise<string> {
    return this.pages.submit(slug, languageOf(request), valuesOf(body), files ?? []);
  }

  @Get('add')
  addForm(@Req() request: Request, @Param('slug') slug: string): Promise<string> {
    return this.pages.emptyForm('add', slug, languageOf(request));
  }

  @Post('add')
  @HttpCode(200)
  @UseInterceptors(TestifyUploadInterceptor)
  add(@Req() request: Request, @Param('slug') slug: string, @Body() body: Record<string, unknown>, @UploadedFiles() files?: IntakeUpload[]): Promise<string> {
    return this.pages.add(slug, languageOf(request), valuesOf(body), files ?? []);
  }

  @Get('withdraw')
  withdrawForm(@Req() request: Request, @Param('slug') slug: string): Promise<string> {
    return this.pages.emptyForm('withdraw', slug, languageOf(request));
  }

  @Post('withdraw')
  @HttpCode(200)
  withdraw(@Req() request: Request, @Param('slug') slug: string, @Body() body: Record<string, unknown>): Promise<string> {
    return this.pages.withdraw(slug, languageOf(request), valuesOf(body), body?.confirm === 'yes');
  }
}
