/** Test module with exports but no custom resource and no operator. */
export class Plain {
  readonly kind = 'plain';
}
export const answer = 42;
