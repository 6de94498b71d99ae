import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiSecurity, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Public } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { FormSubmissionDto, SubmissionReceivedDto } from './dto/lead-form.dto';
import { LeadFormsService } from './lead-forms.service';

/**
 * Anonymous submissions of web forms. The gateway lets /api/v1/public/* through without credentials and
 * rate-limits per IP; the tenant comes from the form the key names.
 */
@ApiTags('public')
// No credentials: anyone on the web may submit a form.
@ApiSecurity({})
@Public()
@Controller('public/forms')
export class PublicFormsController {
  constructor(private readonly forms: LeadFormsService) {}

  @Post(':formKey/submissions')
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit a web form (no sign-in). Always 202 when accepted; spam and repeated submissions are dropped silently' })
  @ApiAcceptedResponse({ type: SubmissionReceivedDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'A field the form does not have, or a malformed value' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: '`form_not_found`' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: '`invalid_lead`: invalid phone or e-mail, or neither given' })
  @ApiTooManyRequestsResponse({ type: ProblemDetailsDto, description: "`form_rate_limited`: the form's submissions per minute" })
  submit(@Param('formKey') formKey: string, @Body() body: FormSubmissionDto): Promise<SubmissionReceivedDto> {
    return this.forms.submit(formKey, body);
  }
}
