// Classifies TypeScript types and members as health data, through the checker; memoised per checker.
import { ts, moduleOfDeclaration } from '../program/compiler';
import type { HealthDataLintConfig } from '../config';
import { HEALTH_CATEGORIES, type ClassificationReason, type HealthCategory } from '../model';
import { classifyName, classifyRecordName, classifyTypeName, type ClassifierOptions } from './names';
import { configuredFieldOverride } from '../fields/overrides';

export interface HealthClassification {
  categories: HealthCategory[];
  reason: ClassificationReason;
  /** A whole record (its other fields are not health data) rather than a health value. */
  record: boolean;
  nameOnly: boolean;
}

/** FHIR members that describe the resource rather than the clinical content (an id is not health data). */
const ADMINISTRATIVE_MEMBERS = new Set([
  'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension',
  'identifier', 'subject', 'patient', 'encounter', 'recorder', 'asserter', 'performer', 'requester',
  'resourceType', 'recordedDate', 'issued', 'authoredOn', 'basedOn', 'partOf', 'context', 'author',
  'created', 'lastUpdated', 'versionId', 'status', 'intent', 'priority', 'reference', 'display',
  'managingOrganization', 'generalPractitioner', 'name', 'telecom', 'address', 'gender', 'birthDate',
  'photo', 'contact', 'communication', 'link', 'active', 'deceasedBoolean', 'maritalStatus',
  'participant', 'serviceProvider', 'location', 'period', 'class', 'length',
]);

/** Bookkeeping members of application records: ids, who and when it was written, workflow state. */
const APPLICATION_ADMIN_MEMBER = /(^(id|uuid|version|status|state|createdAt|updatedAt|deletedAt|createdBy|updatedBy|tenantId|page|pageSize|total|count|type|kind|source|channel|locale)$)|(Id|_id|ID|Ids|At)$/;
/** Record categories too broad to say what each member is (a Patient's name is not health data). */
const GENERAL_RECORD_CATEGORIES = new Set<HealthCategory>(['patient-record', 'encounter', 'health-insurance']);

/** Where a type is declared, as the classifier reads it: the package (`fhir/r4`, even from a stub), else the file. */
function declarationPathOf(declaration: ts.Declaration | undefined): string | undefined {
  if (!declaration) return undefined;
  return moduleOfDeclaration(declaration) ?? declaration.getSourceFile().fileName;
}

function isNumeric(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) !== 0;
}

function isWholeRecord(name: string, categories: HealthCategory[], options: ClassifierOptions): boolean {
  return !!classifyRecordName(name, options) || (categories.length === 1 && categories[0] === 'patient-record');
}

const CONTAINER_TYPES = new Set([
  'Array', 'ReadonlyArray', 'Promise', 'PromiseLike', 'Set', 'ReadonlySet', 'Map', 'ReadonlyMap',
  'Iterable', 'AsyncIterable', 'IterableIterator', 'Observable', 'Partial', 'Required', 'Readonly',
  'Awaited', 'NonNullable', 'Record', 'WeakMap', 'QueryResult', 'Prisma__PatientClient',
]);

const TAG_HEALTH = /^(healthData|healthdata)$/;
const TAG_NOT_HEALTH = /^(notHealthData|nothealthdata)$/;

function tagOf(declarations: readonly ts.Declaration[] | undefined): { tag: 'health' | 'not'; text: string } | undefined {
  for (const d of declarations ?? []) {
    for (const t of ts.getJSDocTags(d)) {
      const name = t.tagName.text;
      const text = typeof t.comment === 'string' ? t.comment : ts.getTextOfJSDocComment(t.comment) ?? '';
      if (TAG_HEALTH.test(name)) return { tag: 'health', text };
      if (TAG_NOT_HEALTH.test(name)) return { tag: 'not', text };
    }
  }
  return undefined;
}

function categoriesFromTag(text: string): HealthCategory[] {
  const words = text.split(/[\s,]+/);
  return words.filter((w): w is HealthCategory => (HEALTH_CATEGORIES as readonly string[]).includes(w));
}

export class TypeClassifier {
  private readonly typeCache = new Map<ts.Type, HealthClassification | null>();
  /** Set when a classification walk hit the depth bound (its negative answer must not be cached). */
  private depthCut = false;
  private readonly options: ClassifierOptions;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly config: HealthDataLintConfig,
  ) {
    this.options = { extraTerms: config.terms, ignoreTerms: config.ignoreTerms };
  }

  /** `QueryResult<any>`, `Promise<Response<any>>`: a typed wrapper around values nobody typed. */
  hasAnyTypeArgument(type: ts.Type, depth = 0): boolean {
    if (depth > 2) return false;
    const isReference = (type.flags & ts.TypeFlags.Object) !== 0 && (((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)) !== 0;
    const args = type.aliasTypeArguments ?? (isReference ? this.checker.getTypeArguments(type as ts.TypeReference) : []);
    return (args ?? []).some((t) => (t.flags & ts.TypeFlags.Any) !== 0 || this.hasAnyTypeArgument(t, depth + 1));
  }

  /** Some part of the type could not be resolved (an import from a package that is not installed). */
  containsUnresolved(type: ts.Type, depth = 0): boolean {
    if (this.isUnknown(type)) return true;
    if (depth > 2) return false;
    if (type.isUnionOrIntersection()) return type.types.some((t) => this.containsUnresolved(t, depth + 1));
    if (this.checker.isArrayType(type)) return this.checker.getTypeArguments(type as ts.TypeReference).some((t) => this.containsUnresolved(t, depth + 1));
    if (type.flags & ts.TypeFlags.Object && !(type.getSymbol()?.declarations ?? []).some((d) => d.getSourceFile().isDeclarationFile)) {
      return this.checker.getPropertiesOfType(type).slice(0, 20).some((p) => {
        const d = p.getDeclarations()?.[0];
        return !!d && this.containsUnresolved(this.checker.getTypeOfSymbolAtLocation(p, d), depth + 1);
      });
    }
    return false;
  }

  /** Any, unknown, or a container of them (`Condition[]` when the `fhir` types are not installed). */
  isUnknown(type: ts.Type, depth = 0): boolean {
    if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return true;
    if (depth > 2) return false;
    if (type.isUnion()) return type.types.some((t) => this.isUnknown(t, depth + 1));
    if (this.checker.isArrayType(type)) return this.checker.getTypeArguments(type as ts.TypeReference).some((t) => this.isUnknown(t, depth + 1));
    const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
    if (name === 'Promise' || name === 'PromiseLike') return this.checker.getTypeArguments(type as ts.TypeReference).some((t) => this.isUnknown(t, depth + 1));
    return false;
  }

  /** Is this type (or what it contains) a health record? */
  classifyType(type: ts.Type, depth = 0): HealthClassification | undefined {
    const cached = this.typeCache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > 4) {
      this.depthCut = true;
      return undefined;
    }
    this.typeCache.set(type, null); // cycles resolve to "not health" while in progress
    const outerCut = this.depthCut;
    this.depthCut = false;
    const result = this.computeTypeClassification(type, depth);
    // A "no" that depended on a walk cut short by depth says nothing about the type: not cached, or it would
    // poison the same question asked from closer (an Observation deep in a Bundle).
    if (result || !this.depthCut) this.typeCache.set(type, result ?? null);
    else this.typeCache.delete(type);
    this.depthCut = outerCut || this.depthCut;
    return result;
  }

  private computeTypeClassification(type: ts.Type, depth: number): HealthClassification | undefined {
    if (depth > 4) return undefined;
    if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike | ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.NonPrimitive | ts.TypeFlags.TypeParameter)) return undefined;
    // Unions, intersections and containers only wrap what they hold: they do not count against the depth bound.
    if (type.isUnionOrIntersection()) {
      for (const t of type.types) {
        const c = this.classifyType(t, depth);
        if (c) return c;
      }
      return undefined;
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    if (name && CONTAINER_TYPES.has(name)) {
      const args = type.aliasTypeArguments ?? (((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) ? this.checker.getTypeArguments(type as ts.TypeReference) : []);
      for (const arg of [...(args ?? [])].reverse()) {
        const c = this.classifyType(arg, depth);
        if (c) return c;
      }
      return undefined;
    }
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      for (const arg of this.checker.getTypeArguments(type as ts.TypeReference)) {
        const c = this.classifyType(arg, depth);
        if (c) return c;
      }
      return undefined;
    }
    // Utility types: `Omit<MoodEntry, 'tags'>` is still a mood entry; `Pick<Patient, 'name'>` is what it picks.
    if (name === 'Omit' || name === 'Exclude') {
      const [base] = type.aliasTypeArguments ?? [];
      return base ? this.classifyType(base, depth) : undefined;
    }
    if (name === 'Pick') return this.healthFieldsOf(type, depth);
    const declarations = symbol?.getDeclarations() ?? [];
    const tag = tagOf(declarations) ?? tagOf(type.getSymbol()?.getDeclarations());
    if (tag?.tag === 'not') return undefined;
    // Named lib types (Date, Error, RegExp) are not records; anonymous mapped types from lib (Omit, Pick) are walked.
    if (name && !name.startsWith('__') && declarations.some((d) => moduleOfDeclaration(d) === 'lib')) return undefined;
    if (tag?.tag === 'health') {
      const categories = categoriesFromTag(tag.text);
      const fields = this.healthFieldsOf(type, depth);
      return {
        categories: categories.length > 0 ? categories : fields?.categories ?? ['patient-record'],
        reason: { kind: 'tag', matched: '@healthData', text: `type \`${name ?? 'anonymous'}\` is tagged @healthData` },
        record: true,
        nameOnly: false,
      };
    }
    if (name && !name.startsWith('__')) {
      // The declaring file tells a clinical `Prescription` from a platform team's (`src/policy/...`).
      const declarationPath = declarationPathOf(declarations[0]);
      const byName = classifyTypeName(name, { healthTypes: this.config.healthTypes, declarationPath });
      if (byName) return { ...byName, record: true, nameOnly: false };
    }
    if (type.getCallSignatures().length > 0) return undefined;
    return this.healthFieldsOf(type, depth);
  }

  /** A type is a health record when some of its properties are health fields. */
  private healthFieldsOf(type: ts.Type, depth: number): HealthClassification | undefined {
    const properties = this.checker.getPropertiesOfType(type);
    if (properties.length === 0 || properties.length > 80) return undefined;
    const containerName = this.typeName(type);
    const siblings = properties.map((p) => p.getName());
    const found: { name: string; c: HealthClassification }[] = [];
    for (const property of properties) {
      const c = this.classifyProperty(type, property, containerName, siblings, depth + 1);
      if (c) found.push({ name: property.getName(), c });
      if (found.length >= 6) break;
    }
    if (found.length === 0) return undefined;
    const categories = [...new Set(found.flatMap((f) => f.c.categories))];
    const list = found.map((f) => `\`${f.name}\` (${f.c.categories.join(', ')})`).join(', ');
    return {
      categories,
      reason: { kind: 'type', matched: containerName ?? 'object', text: `type \`${containerName ?? 'object'}\` holds health fields: ${list}` },
      record: true,
      nameOnly: false,
    };
  }

  typeName(type: ts.Type): string | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    return name && !name.startsWith('__') ? name : undefined;
  }

  /** Classification of one property of a (container) type: tag, then its type, then its name in context. */
  classifyProperty(
    container: ts.Type | undefined,
    property: ts.Symbol,
    containerName: string | undefined,
    siblings: string[],
    depth = 0,
  ): HealthClassification | undefined {
    const declarations = property.getDeclarations();
    const tag = tagOf(declarations);
    if (tag?.tag === 'not') return undefined;
    const name = property.getName();
    const configured = tag ? undefined : configuredFieldOverride(this.config, containerName, name);
    if (configured?.kind === 'not') return undefined;
    if (configured?.kind === 'health') return { categories: configured.categories, reason: configured.reason, record: false, nameOnly: false };
    if (tag?.tag === 'health') {
      const fromTag = categoriesFromTag(tag.text);
      const byName = classifyName(name, { container: containerName, siblings }, this.options);
      return {
        categories: fromTag.length > 0 ? fromTag : byName?.categories ?? ['clinical-note'],
        reason: { kind: 'tag', matched: '@healthData', text: `field \`${name}\` is tagged @healthData` },
        record: false,
        nameOnly: false,
      };
    }
    const declaration = declarations?.[0];
    const propertyType = declaration ? this.checker.getTypeOfSymbolAtLocation(property, declaration) : undefined;
    if (propertyType && depth <= 4) {
      const byType = this.classifyType(propertyType, depth + 1);
      if (byType) return byType;
      // `resource: AllergyIntolerance` whose package is not installed: the annotation still names the type.
      const annotation = declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) ? declaration.type : undefined;
      if (annotation && this.containsUnresolved(propertyType)) {
        const byAnnotation = this.classifyTypeNode(annotation);
        if (byAnnotation) return byAnnotation;
      }
    }
    const byName = classifyName(name, { container: containerName, siblings }, this.options);
    // A number named after records (`consultations: number`, `patients: number`) is a count, not health data.
    if (byName && propertyType && isNumeric(propertyType) && /s$/.test(name) && classifyRecordName(name, this.options)) return undefined;
    // A field holding a whole record (`patient`, `dossier`) is a record: its id and name are not health data.
    if (byName) return { ...byName, record: isWholeRecord(name, byName.categories, this.options), nameOnly: false };
    // A member of an application record named for one kind of health data (`PregnancyFollowUp.expectedDueDate`,
    // `Prescription.dosage`) is that kind of data, unless it is an identifier, a demographic or bookkeeping.
    if (containerName && container && !this.isFhirLike(container) && !APPLICATION_ADMIN_MEMBER.test(name) && !ADMINISTRATIVE_MEMBERS.has(name)) {
      // A type named by a health word (`PregnancyFollowUp`) counts when another of its fields is health data too,
      // so that a compiler's `Diagnostic` does not.
      const declarationPath = declarationPathOf((container.aliasSymbol ?? container.getSymbol())?.declarations?.[0]);
      const corroborated = siblings.some((other) => other !== name && classifyName(other, { container: containerName, siblings, path: declarationPath }, this.options));
      const record =
        classifyTypeName(containerName, { healthTypes: this.config.healthTypes, declarationPath }) ??
        (corroborated ? classifyName(containerName, { path: declarationPath }, this.options) : undefined);
      const specific = record?.categories.filter((c) => !GENERAL_RECORD_CATEGORIES.has(c)) ?? [];
      if (record && specific.length > 0 && record.reason.kind !== 'config') {
        return {
          categories: specific,
          reason: { kind: 'type', matched: containerName, text: `\`${name}\` is part of \`${containerName}\`, a ${specific.join('/')} record` },
          record: false,
          nameOnly: false,
        };
      }
    }
    // A clinical FHIR resource's content members carry the resource's category (Condition.code, Observation.value*).
    if (containerName && !ADMINISTRATIVE_MEMBERS.has(name) && container) {
      const resource = classifyTypeName(containerName, { healthTypes: this.config.healthTypes });
      if (resource && !resource.categories.includes('patient-record') && this.isFhirLike(container)) {
        return {
          categories: resource.categories,
          reason: { kind: 'type', matched: containerName, text: `\`${name}\` is clinical content of the FHIR resource \`${containerName}\`` },
          record: false,
          nameOnly: false,
        };
      }
    }
    return undefined;
  }

  private isFhirLike(type: ts.Type): boolean {
    return this.checker.getPropertiesOfType(type).some((p) => p.getName() === 'resourceType');
  }

  /** What a member read (`base.name`) yields, given the base expression's type. */
  classifyMember(baseType: ts.Type | undefined, name: string, baseName: string | undefined): HealthClassification | undefined {
    if (baseType && !this.isUnknown(baseType)) {
      const apparent = this.checker.getApparentType(this.checker.getNonNullableType(baseType));
      const property = apparent.getProperty(name) ?? this.propertyOfUnion(apparent, name);
      if (property) {
        const objectType = apparent;
        const containerName = this.typeName(objectType) ?? baseName;
        return this.classifyProperty(objectType, property, containerName, this.checker.getPropertiesOfType(objectType).map((p) => p.getName()));
      }
    }
    // Types missing (plain JavaScript, dependencies not installed): the name decides, with the base's name as context.
    const record = classifyRecordName(name, this.options);
    if (record) return { ...record, record: true, nameOnly: true };
    const value = classifyName(name, { container: baseName }, this.options);
    return value ? { ...value, record: isWholeRecord(name, value.categories, this.options), nameOnly: true } : undefined;
  }

  /** True when the member is declared with a known, non-health type (a typed demographic field). */
  isTypedMember(baseType: ts.Type | undefined, name: string): boolean {
    if (!baseType || this.isUnknown(baseType)) return false;
    const apparent = this.checker.getApparentType(this.checker.getNonNullableType(baseType));
    const property = apparent.getProperty(name) ?? this.propertyOfUnion(apparent, name);
    if (!property) return false;
    const declaration = property.getDeclarations()?.[0];
    if (!declaration) return false;
    return !this.isUnknown(this.checker.getTypeOfSymbolAtLocation(property, declaration));
  }

  private propertyOfUnion(type: ts.Type, name: string): ts.Symbol | undefined {
    if (!type.isUnion()) return undefined;
    for (const t of type.types) {
      const p = t.getProperty(name);
      if (p) return p;
    }
    return undefined;
  }

  /**
   * When the checker cannot resolve a type (its package is not installed), the annotation still names it:
   * `intolerance: AllergyIntolerance`, `Promise<Observation[]>`, `ResourceRow<Condition>`.
   */
  classifyTypeNode(node: ts.TypeNode | undefined, depth = 0): HealthClassification | undefined {
    if (!node || depth > 4) return undefined;
    if (ts.isArrayTypeNode(node)) return this.classifyTypeNode(node.elementType, depth + 1);
    if (ts.isParenthesizedTypeNode(node)) return this.classifyTypeNode(node.type, depth + 1);
    if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) {
      for (const t of node.types) {
        const c = this.classifyTypeNode(t, depth + 1);
        if (c) return c;
      }
      return undefined;
    }
    if (ts.isTypeLiteralNode(node)) {
      for (const member of node.members) {
        const c = ts.isPropertySignature(member) ? this.classifyTypeNode(member.type, depth + 1) : undefined;
        if (c) return c;
      }
      return undefined;
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      const qualified = node.typeName.getText();
      if (!CONTAINER_TYPES.has(name)) {
        const byName = classifyTypeName(qualified, { healthTypes: this.config.healthTypes }) ?? classifyTypeName(name, { healthTypes: this.config.healthTypes });
        if (byName) return { ...byName, record: true, nameOnly: true };
      }
      for (const argument of node.typeArguments ?? []) {
        const c = this.classifyTypeNode(argument, depth + 1);
        if (c) return c;
      }
    }
    return undefined;
  }

  /** Health classification of a declaration's type (parameters, variables with annotations). */
  classifyDeclaredType(node: ts.Node): HealthClassification | undefined {
    const type = this.checker.getTypeAtLocation(node);
    return this.classifyType(type);
  }
}
