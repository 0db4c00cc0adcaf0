/**
 * @steward/core — the controller machinery: client, informers, work queues, controllers, finalizers,
 * decorators, reconcile helpers, manager, operators. The curated public surface: everything a user
 * imports comes from here. See docs/architecture.md for the pipeline.
 */
export { StewardError, TerminalError, isTerminal } from './errors/errors.js';
export type { StewardErrorOptions } from './errors/errors.js';
export { microTime, parseMicroTime } from './time/microTime.js';
export { kubeClient, clientOver } from './client/kubeClient.js';
export { loadKubeConfig } from './client/loadKubeConfig.js';
export { WRITE_VERBS } from './client/writeVerbs.js';
export type { WriteVerb, WriteVerbInfo } from './client/writeVerbs.js';
export type { KubeConfigLike } from './client/loadKubeConfig.js';
export type { KubeClientOptions } from './client/kubeClient.js';
export type { Transport, TransportOptions } from './client/transport.js';
export { builtin, refFor, apiVersionOf, resourcePath } from './client/resourceRef.js';
export { tokenBucket } from './client/tokenBucket.js';
export type { TokenBucket, TokenBucketOptions } from './client/tokenBucket.js';
export {
  ApiError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  BadRequestError,
  GoneError,
  ExpiredError,
  TooManyRequestsError,
  ForbiddenError,
  UnauthorizedError,
  ServerError,
  UnexpectedApiError,
  WatchIdleError,
  TransportError,
  ClientUsageError,
  apiErrorFrom,
} from './client/errors.js';
export type {
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  KubeObject,
  ListOptions,
  ListResult,
  ObjectMeta,
  ObjectOptions,
  OwnerReference,
  PatchOptions,
  PatchType,
  RequestOptions,
  ResourceRef,
  Status,
  StatusCause,
  StatusDetails,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  WatchStream,
  WriteOptions,
} from './client/types.js';
export { CustomResource, customResource, customResourceOf, pluralize } from './decorators/customResource.js';
export type { CustomResourceOptions, CustomResourceConfig } from './decorators/customResource.js';
export { CustomResourceError } from './decorators/customResourceError.js';
export {
  Cel,
  Conditions,
  Default,
  Description,
  MapOf,
  Nullable,
  PreserveUnknownFields,
  PrinterColumn,
  Schema,
  field,
  fieldsOf,
} from './decorators/fields.js';
export type { FieldOptions, FieldPrinterColumn, MapValueType } from './decorators/fields.js';
export { METADATA } from './decorators/metadata.js';
export type { Class } from './decorators/metadata.js';
export { crdFor } from './crd/crdFor.js';
export { conditionsSchema } from './crd/conditionsSchema.js';
export { schemaOf, schemaWithColumns } from './crd/schemaOf.js';
export type { SchemaWithColumns } from './crd/schemaOf.js';
export type {
  CelRule,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
  JSONSchemaProps,
  PrinterColumn as PrinterColumnDefinition,
  ScaleSubresource,
} from './crd/types.js';
export { informer } from './informer/informer.js';
export type {
  Informer,
  InformerEvent,
  InformerHealth,
  InformerOptions,
  ListWatcher,
} from './informer/informerTypes.js';
export { sharedInformerFactory, sharedInformerKey } from './informer/sharedInformerFactory.js';
export type { SharedInformerFactory, SharedInformerOptions } from './informer/sharedInformerFactory.js';
export { store, objectKey, NAMESPACE_INDEX, CONTROLLER_OWNER_INDEX } from './informer/store.js';
export type { Store, IndexFunc } from './informer/store.js';
export { compactForCache, dropManagedFields, metadataOnly, shareStrings } from './informer/transforms.js';
export type { Transform } from './informer/transforms.js';
export { backoff } from './informer/backoff.js';
export type { Backoff, BackoffOptions } from './informer/backoff.js';
export {
  WatchExpiredError,
  WatchStatusError,
  InformerIdleError,
  WatchListIncompleteError,
  InformerStoppedError,
  IndexerError,
} from './informer/informerErrors.js';
export { workQueue } from './queue/workQueue.js';
export type { AddOptions, DrainOptions, DrainResult, WorkQueue, WorkQueueOptions } from './queue/types.js';
export {
  defaultControllerRateLimiter,
  exponentialRateLimiter,
  maxOfRateLimiter,
  tokenBucketRateLimiter,
} from './queue/rateLimiter.js';
export type {
  DefaultControllerRateLimiterOptions,
  ExponentialRateLimiterOptions,
  RateLimiter,
  TokenBucketRateLimiterOptions,
} from './queue/rateLimiter.js';
export { workQueueMetricNames } from './queue/metrics.js';
export type { WorkQueueMetrics } from './queue/metrics.js';
export { systemClock } from './queue/clock.js';
export type { Clock } from './queue/clock.js';
// `controller(options)` is the loop itself; `controller(manager)` the builder (builder/controllerEntry.ts).
export { controller } from './builder/controllerEntry.js';
export { controllerBuilder } from './builder/builder.js';
export type { ControllerBuilder, ControllerRegistry } from './builder/builder.js';
export { Controller, controllerOptionsOf, addController } from './builder/controllerDecorator.js';
export { resourceRefOf } from './builder/resources.js';
export type { ControllerDecoratorOptions, Reconciler } from './builder/controllerDecorator.js';
export type {
  BuiltControllerOptions,
  CleanupFn,
  ContextOf,
  ControllerTuning,
  KindLike,
  ObjectOf,
  ReconcileFn,
} from './builder/builderTypes.js';
// The type `Controller` (the running controller's handle) comes with the decorator, under one name.
export type {
  BoundEventRecorder,
  CachedReader,
  ControllerLogEntry,
  ControllerLogger,
  ControllerOptions,
  ReconcileContext,
  ReconcileLogger,
  ReconcileResult,
  WatchSource,
} from './controller/controllerTypes.js';
export { controllerMetricNames } from './controller/controllerMetrics.js';
export type { ControllerMetrics, ReconcileOutcome } from './controller/controllerMetrics.js';
export {
  defaultFinalizerName,
  finalizer,
  FinalizerNameError,
  validateFinalizerName,
} from './finalizer/finalizer.js';
export type { Finalizer, FinalizerStep } from './finalizer/finalizer.js';
export { labelSelector, formatLabelSelector } from './controller/labelSelector.js';
export type { LabelSelectorObject } from './controller/labelSelector.js';
export { generationChanged, labelsChanged, annotationsChanged, anyOf } from './controller/predicates.js';
export type { Predicate } from './controller/predicates.js';
export {
  ControllerConfigError,
  ReconcileError,
  ReconcileResultError,
} from './controller/controllerErrors.js';
export {
  conditionTime,
  findCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
} from './reconcile/conditions.js';
export type { Condition, ConditionInput, ConditionStatus, ConditionsResult } from './reconcile/conditions.js';
export { statusUpdater } from './reconcile/statusUpdater.js';
export type { StatusFields, StatusUpdater, StatusUpdaterOptions } from './reconcile/statusUpdater.js';
export {
  controllerOf,
  isControlledBy,
  ownerReferenceTo,
  setControllerReference,
} from './reconcile/ownerReferences.js';
export type { OwnerReferenceOptions } from './reconcile/ownerReferences.js';
export { APPLIED_HASH_ANNOTATION, appliedHash, applyObject, containsFields } from './reconcile/apply.js';
export type { ApplyObjectOptions, ApplyObjectResult } from './reconcile/apply.js';
export { eventRecorder } from './reconcile/eventRecorder.js';
export type {
  EventOutcome,
  EventRecorder,
  EventRecorderOptions,
  EventType,
} from './reconcile/eventRecorder.js';
export { PAUSED_ANNOTATION, isPaused } from './reconcile/paused.js';
export {
  AlreadyOwnedError,
  ConditionError,
  EventError,
  OwnerReferenceError,
  StatusSubresourceError,
} from './reconcile/reconcileErrors.js';
export { leaderElector, LeaderElectionError } from './leader/leaderElector.js';
export type { LeaderElector, LeaderElectorOptions } from './leader/leaderElector.js';
export type { Lease, LeaseSpec } from './leader/leaseRecord.js';
export { manager } from './manager/manager.js';
export { managerOptionsFromEnv, MANAGER_ENV } from './manager/managerEnv.js';
export type {
  LeaderElectionOptions,
  ManagedControllerOptions,
  Manager,
  ManagerOptions,
} from './manager/managerTypes.js';
export { ManagerConfigError, LeadershipLostError } from './manager/managerErrors.js';
export { fencedClient } from './manager/fencedClient.js';
export { jsonLogger, textLogger, serializeError } from './log/jsonLogger.js';
export type { LogLevel, LogSink, LoggerOptions, SerializedError } from './log/jsonLogger.js';
export {
  controllerMetrics,
  workQueueMetrics,
  leaderElectionMetrics,
  reconcileTimeBuckets,
  workQueueDurationBuckets,
} from './metrics/controllerMetrics.js';
export type { PulledQueueGauges, RegisteredWorkQueueMetrics } from './metrics/controllerMetrics.js';
export { defineOperator, isOperatorDefinition, OperatorDefinitionError } from './operator/defineOperator.js';
export type { OperatorDefinition, PolicyRule } from './operator/defineOperator.js';
