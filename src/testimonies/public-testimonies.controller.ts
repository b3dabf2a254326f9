import { Body, Controller, Header, HttpCode, Param, Post, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { IntakeThrottleGuard } from './intake-throttle.guard';
import { AddedResponse, AddToTestimonyDto, ReceiptResponse, SubmitTestimonyDto, WithdrawnResponse, WithdrawTestimonyDto } from './testimonies.dto';
import { type IntakeUpload, TestimonyIntakeService } from './testimony-intake.service';

/**
 * The People's UPR intake, signed out: no token, no cookie, throttled per address and per coalition.
 * Files go in the multipart field "files" (testimonies.module.ts sets their limits).
 */
@ApiTags('public testimony intake')
@Controller('public/testimonies/:slug')
@Public()
@UseGuards(IntakeThrottleGuard)
export class PublicTestimoniesController {
  constructor(private readonly intake: TestimonyIntakeService) {}

  // A receipt, or the word that it was withdrawn, is for the person's eyes only: no cache keeps it.
  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiCreatedResponse({ type: ReceiptResponse })
  @UseInterceptors(FilesInterceptor('files'))
  submit(@Param('slug') slug: string, @Body() dto: SubmitTestimonyDto, @UploadedFiles() files?: IntakeUpload[]): Promise<ReceiptResponse> {
    return this.intake.submit(slug, dto, files ?? []);
  }

  @Post('add')
  @Header('Cache-Control', 'no-store')
  @HttpCode(200)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOkResponse({ type: AddedResponse })
  @UseInterceptors(FilesInterceptor('files'))
  add(@Param('slug') slug: string, @Body() dto: AddToTestimonyDto, @UploadedFiles() files?: IntakeUpload[]): Promise<AddedResponse> {
    return this.intake.addTo(slug, dto, files ?? []);
  }

  @Post('withdraw')
  @Header('Cache-Control', 'no-store')
  @HttpCode(200)
  @ApiOkResponse({ type: WithdrawnResponse })
  withdraw(@Param('slug') slug: string, @Body() dto: WithdrawTestimonyDto): Promise<WithdrawnResponse> {
    return this.intake.withdraw(slug, dto);
  }
}
