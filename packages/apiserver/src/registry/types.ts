/**
 * The shared description of one served resource (a kind at one group/version). Built-in kinds and CRD
 * versions both become a `ResourceInfo`; discovery, OpenAPI, Table output, patching and validation all
 * read it. This file is a contract between modules: change it only with every user in the same commit.
 */
import type { StatusCause } from '../errors/status.js';

/** An OpenAPI v3 schema as Kubernetes CRDs carry it (`JSONSchemaProps`), including `x-kubernetes-*` extensions. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural used in paths, e.g. `pods`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Verbs as discovery lists them: create, delete, deletecollection, get, list, patch, update, watch. */
  verbs: string[];
  subresources: { status: boolean; scale?: ScaleSubresource };
  /** Extra printer columns for Table output (CRDs' `additionalPrinterColumns`; built-ins may set a few). */
  printerColumns: PrinterColumn[];
  /** The schema of this version (CRDs always; built-ins where one is given). */
  schema?: JSONSchemaProps;
  /** For CRD-backed resources, the name of the CRD (`<plural>.<group>`). */
  crdName?: string;
  /** Whether this version is the storage version (CRDs); built-ins: true. */
  storage: boolean;
  /** Field selectors beyond metadata.name/metadata.namespace: field label → JSON path (CRDs' selectableFields). */
  selectableFields: Record<string, string>;
}

export type { StatusCause };
