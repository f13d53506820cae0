import type { LgdMapping } from '../lgd-mapping.js';
import type { LgdAnalyst, LgdGroup, LgdIncident, LgdNote, LgdResolutionCategory } from '../lgd-types.js';
import { LgdDateParser } from './lgd-date-parser.js';
import type { LgdRequestInfo } from './lgd-errors.js';
import { AttributeReader, type LgdObject } from './lgd-response.js';

/** How one kind of record is asked for and read. */
export interface RecordKind<T> {
  className: string;
  attributes: string[];
  read(obj: LgdObject, request: LgdRequestInfo): T;
}

/** Builds readers that share one date parser for the mapping's format and zone. */
const readerFor = (dates: LgdDateParser) => (obj: LgdObject, request: LgdRequestInfo): AttributeReader =>
  new AttributeReader(obj, request, dates);

const parserOf = (m: LgdMapping, dates?: LgdDateParser): LgdDateParser => dates ?? new LgdDateParser(m.dateFormat, m.timeZone);

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** Incidents, with every attribute the mapping names. */
export function incidentKind(m: LgdMapping, dates?: LgdDateParser): RecordKind<LgdIncident> {
  const reader = readerFor(parserOf(m, dates));
  const a = m.incident;
  return {
    className: m.classes.incident,
    attributes: unique(Object.values(a)),
    read(obj, request) {
      const r = reader(obj, request);
      return {
        key: obj.value,
        id: r.integer(a.id),
        title: r.text(a.title),
        description: r.text(a.description),
        status: r.required(a.status),
        groupTitle: r.optional(a.groupTitle),
        groupKey: r.optional(a.groupKey),
        userTitle: r.optional(a.userTitle),
        userKey: r.optional(a.userKey),
        raiseUser: r.optional(a.raiseUser),
        priority: r.optional(a.priority),
        category: r.optional(a.category),
        createdAt: r.date(a.creationDate),
        lastUpdate: r.date(a.lastUpdate),
      };
    },
  };
}

/** The attribute path of a note's incident GUID. */
export const noteParentKeyPath = (m: LgdMapping): string => `${m.note.parent}.${m.reference.guid}`;

/** Notes of incidents. */
export function noteKind(m: LgdMapping, dates?: LgdDateParser): RecordKind<LgdNote> {
  const reader = readerFor(parserOf(m, dates));
  const n = m.note;
  const parentKey = noteParentKeyPath(m);
  return {
    className: m.classes.note,
    attributes: unique([parentKey, n.title, n.text, n.creationDate, n.creationUser, n.notifyRaiseUser]),
    read(obj, request) {
      const r = reader(obj, request);
      return {
        key: obj.value,
        incidentKey: r.required(parentKey),
        title: r.text(n.title),
        text: r.text(n.text),
        createdAt: r.date(n.creationDate),
        createdBy: r.optional(n.creationUser),
        notifyRaiseUser: r.flag(n.notifyRaiseUser),
      };
    },
  };
}

/** Support groups. */
export function groupKind(m: LgdMapping, dates?: LgdDateParser): RecordKind<LgdGroup> {
  const reader = readerFor(parserOf(m, dates));
  const f = m.reference;
  return {
    className: m.classes.supportGroup,
    attributes: unique([f.title, f.name]),
    read(obj, request) {
      const r = reader(obj, request);
      return { key: obj.value, title: r.required(f.title), name: r.text(f.name) };
    },
  };
}

/** Analysts. */
export function analystKind(m: LgdMapping, dates?: LgdDateParser): RecordKind<LgdAnalyst> {
  const reader = readerFor(parserOf(m, dates));
  const f = m.reference;
  return {
    className: m.classes.analyst,
    attributes: unique([f.title, f.name, f.email]),
    read(obj, request) {
      const r = reader(obj, request);
      return { key: obj.value, title: r.text(f.title), name: r.required(f.name), email: r.optional(f.email) };
    },
  };
}

/** Resolution categories. */
export function resolutionCategoryKind(m: LgdMapping, dates?: LgdDateParser): RecordKind<LgdResolutionCategory> {
  const reader = readerFor(parserOf(m, dates));
  const f = m.reference;
  return {
    className: m.classes.resolutionCategory,
    attributes: [f.title],
    read(obj, request) {
      return { key: obj.value, title: reader(obj, request).required(f.title) };
    },
  };
}
