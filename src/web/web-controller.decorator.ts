import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { WebPage } from '../auth/auth.decorators';
import { CsrfGuard } from './web-csrf';
import { WebExceptionFilter } from './web-exception.filter';

/**
 * A controller of web pages: signed in by the session cookie, every form checked for its CSRF
 * token, errors shown as pages, and left out of the API documentation.
 */
export function WebController(path = ''): ClassDecorator {
  return applyDecorators(Controller(path), WebPage(), UseGuards(CsrfGuard), UseFilters(WebExceptionFilter), ApiExcludeController());
}
