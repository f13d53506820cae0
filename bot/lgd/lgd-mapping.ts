import { z } from 'zod';

/** True when Intl knows the zone; an unknown one would throw a RangeError on every date. */
export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/**
 * How this LGD site names its classes, actions, attributes and dates. LANDesk / Ivanti designs
 * are customised per site in Process Designer, so none of these names is hard-coded elsewhere:
 * the client and the simulator both read them from here. Defaults are LANDesk's own names;
 * `[inferred]` ones (see lgd-web-access-api.md) are the first to check against a captured session.
 */
export const lgdMappingSchema = z
  .object({
    /** Path segments of the Web Access controllers, relative to the base URL. */
    paths: z
      .object({
        logon: z.string().default('wd/Logon/Logon.rails'),
        logoff: z.string().default('wd/Logon/Logoff.rails'),
        changeTimeZone: z.string().default('wd/logon/changeTimeZone.rails'),
        list: z.string().default('wd/query/list.rails'),
        open: z.string().default('wd/object/open.rails'),
        save: z.string().default('object/save.rails'),
        invoke: z.string().default('object/invokeFunction.rails'),
      })
      .prefault({}),
    classes: z
      .object({
        incident: z.string().default('IncidentManagement.Incident'),
        note: z.string().default('IncidentManagement.Note'),
        assignment: z.string().default('IncidentManagement.Assignment'),
        resolution: z.string().default('IncidentManagement.Resolution'),
        supportGroup: z.string().default('System.SupportGroup'),
        analyst: z.string().default('System.Analyst'),
        resolutionCategory: z.string().default('IncidentManagement.ResolutionCategory'),
      })
      .prefault({}),
    actions: z
      .object({
        addNote: z.string().default('AddNote'),
        addAssignment: z.string().default('AddAssignment'),
        resolve: z.string().default('Resolve'),
        /** [inferred] a note the raise user sees; some sites have a dedicated action. */
        endUserUpdate: z.string().default('AddNote'),
      })
      .prefault({}),
    /** Attribute paths of an incident, as asked for in list.rails `attributes`. */
    incident: z
      .object({
        id: z.string().default('Id'),
        title: z.string().default('Title'),
        description: z.string().default('Description'),
        status: z.string().default('Status.Title'),
        groupTitle: z.string().default('CurrentAssignment.Group.Title'),
        groupKey: z.string().default('CurrentAssignment.Group.Guid'),
        userTitle: z.string().default('CurrentAssignment.User.Title'),
        userKey: z.string().default('CurrentAssignment.User.Guid'),
        raiseUser: z.string().default('RaiseUser.Title'),
        creationDate: z.string().default('CreationDate'),
        lastUpdate: z.string().default('LastUpdate'),
        priority: z.string().default('Priority.Title'),
        category: z.string().default('Category.Title'),
      })
      .prefault({}),
    /** Fields of a note (child of an incident). */
    note: z
      .object({
        /** [inferred] the reference from a note to its incident, used in `cns`. */
        parent: z.string().default('Incident'),
        title: z.string().default('Title'),
        text: z.string().default('Text'),
        creationDate: z.string().default('CreationDate'),
        creationUser: z.string().default('CreationUser.Title'),
        /** [inferred, site-specific] set to "True" for an end-user update. */
        notifyRaiseUser: z.string().default('_NotifyRaiseUser'),
      })
      .prefault({}),
    assignment: z
      .object({
        group: z.string().default('Group'),
        user: z.string().default('User'),
        description: z.string().default('Description'),
      })
      .prefault({}),
    resolution: z
      .object({
        category: z.string().default('Category'),
        description: z.string().default('Description'),
      })
      .prefault({}),
    /** Reference data (support groups, analysts) fields. */
    reference: z
      .object({
        title: z.string().default('Title'),
        name: z.string().default('Name'),
        guid: z.string().default('Guid'),
        /** [inferred] analyst e-mail, used to map Teams users to analysts. */
        email: z.string().default('EMailAddress'),
      })
      .prefault({}),
    /** Status titles that mean the ticket is finished. */
    resolvedStatuses: z.array(z.string()).default(['Resolved', 'Closed']),
    /** [inferred] the session's date pattern: pin it and the time zone. */
    dateFormat: z.string().default('dd/MM/yyyy HH:mm:ss'),
    /** IANA zone that `dateFormat` strings are in (also when the site has no time-zone switch). */
    timeZone: z
      .string()
      .refine(isIanaZone, 'is not an IANA time zone this server knows (e.g. Europe/London)')
      .default('Europe/London'),
    /** Windows zone key sent to changeTimeZone.rails so the server renders in `timeZone`. */
    timeZoneKey: z.string().default('GMT Standard Time'),
    pageSize: z.number().int().min(1).max(1000).default(100),
  })
  .prefault({});

export type LgdMapping = z.infer<typeof lgdMappingSchema>;

/** The mapping with every default, for tests and the simulator. */
export const defaultLgdMapping: LgdMapping = lgdMappingSchema.parse({});
