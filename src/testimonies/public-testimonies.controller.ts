import { Body, Controller, Header, HttpCode, Param, Post, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { IntakeThrottleGuard } from './intake-throttle.guard';
import { AddedResponse, AddToTestimonyDto, ReceiptResponse, SubmitTestimonyDto, WithdrawnResponse, WithdrawTestimonyDto } from './testimonies.dto';
import { TestimonyIntakeService } from './testimony-intake.service';
import type { IntakeUpload } from './testimony-upload-storage';
import { TestimonyUploadInterceptor } from './testimony-upload.interceptor';

/**
 * The People's UPR intake, signed out: no token, no cookie, throttled per address and per coalition.
 * Files go in the multipart field "files", streamed in sealed (testimony-upload.interceptor.ts).
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
  @UseInterceptors(TestimonyUploadInterceptor)
  submit(@Param('slug') slug: string, @Body() dto: SubmitTestimonyDto, @UploadedFiles() files?: IntakeUpload[]): Promise<ReceiptResponse> {
    return this.intake.submit(slug, dto, files ?? []);
  }

  @Post('add')
  @Header('Cache-Control', 'no-store')
  @HttpCode(200)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOkResponse({ type: AddedResponse })
  @UseInterceptors(TestimonyUploadInterceptor)
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
