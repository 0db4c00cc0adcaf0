/**
 * The Widget custom resource (widgets.example.com/v1alpha1): what a user asks for in `spec`, what
 * the operator reports in `status`. Start with {@link Widget}; the CRD in manifests/ is generated
 * from this class (`pnpm crds`), so the API server enforces the validation written here.
 */
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Conditions, CustomResource, Description, PrinterColumn } from '@steward/core';
import type { Condition } from '@steward/core';

export class WidgetSpec {
  // A ConfigMap value can hold far more; the limit shows validation the API server applies on write.
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @PrinterColumn()
  @Description('The text the operator publishes in the ConfigMap it owns.')
  message!: string;
}

export class WidgetStatus {
  // Ready=True once the ConfigMap holds the current message; `kubectl wait --for=condition=Ready` works.
  @IsOptional() @Conditions() conditions?: Condition[];
}

@CustomResource({ group: 'example.com', version: 'v1alpha1', kind: 'Widget' })
export class Widget {
  @ValidateNested() @Type(() => WidgetSpec) spec!: WidgetSpec;
  @IsOptional() @ValidateNested() @Type(() => WidgetStatus) status?: WidgetStatus;
}
