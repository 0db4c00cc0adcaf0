/**
 * Conformance cases the embedded server is known to fail: case id → what the server does instead.
 *
 * Listed cases run as `test.failing`, so a gap that gets fixed fails the suite until its line is removed.
 * Only the embedded server uses this list; against a real cluster every case must pass.
 */
export const KNOWN_GAPS: Record<string, string> = {
  // Built-in OpenAPI schemas carry no properties.
  'kubectl-explain-builtin':
    'kubectl explain configmap.data fails: `field "data" does not exist` (built-in OpenAPI has no field schemas)',
  // Watch with a non-numeric resourceVersion: the real server's storage error surfaces as a plain 500.
  'watch-bad-rv-500': 'answers 400 BadRequest instead of the real 500 with the storage InvalidError text',
  // CR update without resourceVersion: the real error names the resource (widgets.<group>) and prints 0.
  'conflict-put-empty-rv-cr-422':
    'says `Widget.<group> ... Invalid value: 0x0` with details.kind Widget instead of `widgets.<group> ... Invalid value: 0` and kind widgets',
  // Namespace lifecycle admission adds a cause naming metadata.namespace.
  'ns-terminating-create-403':
    'the 403 lacks the NamespaceTerminating cause (field metadata.namespace) in details.causes',
  // Aggregated discovery keeps insertion order: status, then scale.
  'crd-aggregated-discovery':
    'aggregated discovery lists the CR subresources as scale, status instead of the real status, scale',
  // A terminating CRD refuses creates through forbidCreateAdmission (403), not with 405.
  'crd-terminating':
    'a create while the CRD terminates answers 405 MethodNotAllowed instead of 403 Forbidden',
  // Response negotiation: the server always answers JSON.
  'neg-accept-yaml': 'Accept application/yaml still gets a JSON body',
  'neg-error-yaml': 'errors are JSON even when the client accepts only YAML',
  'neg-accept-protobuf': 'built-in kinds are never served as protobuf',
  'neg-not-acceptable-406': 'an unacceptable Accept gets 200 JSON instead of 406 NotAcceptable',
  // The CR registry has no ReturnDeletedObject: an immediate delete answers a Success Status.
  'crd-cr-delete-status': 'DELETE of a CR returns the deleted object instead of a Success Status',
  // apimachinery lists supported values from a sorted set.
  'fv-unknown-directive-422':
    'lists the supported fieldValidation values unsorted ("", Ignore, Warn, Strict) instead of "", Ignore, Strict, Warn',
  // Cluster-scoped objects: the request path decides, a stray body namespace is dropped.
  'crud-cluster-scoped-namespace-cleared':
    'a cluster-scoped create whose body has metadata.namespace is refused (422) instead of having it cleared',
};
