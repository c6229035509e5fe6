import type { components, paths } from './schema';

/**
 * Response types taken from the generated OpenAPI paths rather than from
 * component names, so they survive renames in the server's document.
 */
type JsonOk<P extends keyof paths> = paths[P]['get'] extends {
	responses: { 200: { content: { 'application/json': infer T } } };
}
	? T
	: never;

export type PackageList = JsonOk<'/api/v1/packages'>;
export type ServicePackage = PackageList['items'][number];
export type AreaList = JsonOk<'/api/v1/areas'>;
export type ServiceArea = AreaList['items'][number];
export type SystemInfo = JsonOk<'/api/v1/system'>;

export interface Page<T> {
	items: T[];
	next_cursor?: string | null;
	total: number;
	/** False when `total` is a lower bound (more matches than the server counts). */
	total_exact?: boolean;
}

/** A list's count for people: `10000+` when it is a lower bound. */
export function countLabel(total: number, exact: boolean | undefined): string {
	return exact === false ? `${total}+` : `${total}`;
}

export type Me = JsonOk<'/api/v1/me'>;
export type SessionList = JsonOk<'/api/v1/me/sessions'>;
export type SessionInfo = SessionList['items'][number];

type Schemas = components['schemas'];
export type User = Schemas['User'];
export type NewUser = Schemas['NewUser'];
export type UserChanges = Schemas['UserChanges'];
export type Team = Schemas['Team'];
export type ApiToken = Schemas['ApiToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];
export type AuditEvent = Schemas['AuditEvent'];
export type PasswordResetIssued = Schemas['PasswordResetIssued'];
export type Location = Schemas['Location'];
export type Odc = Schemas['Odc'];
export type OdcInput = Schemas['OdcInput'];
export type Odp = Schemas['Odp'];
export type OdpInput = Schemas['OdpInput'];
export type OdpPort = Schemas['OdpPort'];
export type AreaInput = Schemas['AreaInput'];
export type PackageInput = Schemas['PackageInput'];
export type ServiceType = Schemas['ServiceType'];
export type ServiceTypeChanges = Schemas['ServiceTypeChanges'];
export type ProblemCategory = Schemas['ProblemCategory'];
export type ProblemCategoryInput = Schemas['ProblemCategoryInput'];
export type Skill = Schemas['Skill'];
export type SkillInput = Schemas['SkillInput'];
export type Customer = Schemas['Customer'];
export type CustomerInput = Schemas['CustomerInput'];
export type Coverage = Schemas['Coverage'];
export type CoverageOdp = Schemas['CoverageOdp'];
export type Registration = Schemas['RegistrationInput'];
export type CustomerStatus = Schemas['CustomerStatus'];
export type InstallWindow = Schemas['InstallWindow'];
export type DemandSource = NonNullable<DemandPoint['source']>;
export type RegistrationResult = Schemas['RegistrationResult'];
export type DemandPoint = Schemas['DemandPoint'];
export type ImportReport = Schemas['ImportReport'];
export type PlantStatus = Schemas['PlantStatus'];
export type Priority = Schemas['Priority'];
export type DocItem = Schemas['DocItem'];
export type LineError = Schemas['LineError'];
export type TotpSetup = Schemas['TotpSetup'];
export type Ticket = Schemas['Ticket'];
export type TicketInput = Schemas['TicketInput'];
export type TicketPatch = Schemas['TicketPatch'];
export type TicketStatus = Schemas['TicketStatus'];
export type TicketKind = Schemas['TicketKind'];
export type TicketSource = Schemas['TicketSource'];
export type SlaState = Schemas['SlaState'];
export type Sla = Schemas['Sla'];
export type RemoteReason = Schemas['RemoteReason'];
export type TransitionInput = Schemas['TransitionInput'];
export type Timeline = Schemas['Timeline'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Pause = Schemas['PauseOut'];
export type TicketComment = Schemas['Comment'];
export type Notification = Schemas['Notification'];
export type PauseReason = Schemas['PauseReason'];
export type Outage = Schemas['Outage'];
export type OutageDetail = Schemas['OutageDetail'];
export type OutageInput = Schemas['OutageInput'];
export type OutageElement = Schemas['OutageElement'];
export type OutageStatus = Schemas['OutageStatus'];
export type OutageTicket = Schemas['OutageTicket'];
export type OutageSuggestion = Schemas['OutageSuggestion'];
export type AssignmentView = Schemas['AssignmentView'];
export type AssignmentRecord = Schemas['AssignmentRecord'];
export type AssignmentInput = Schemas['AssignmentInput'];
export type Suggestion = Schemas['Suggestion'];
export type ScorePart = Schemas['ScorePart'];
export type ScoreFactor = Schemas['ScoreFactor'];
export type TravelEstimate = Schemas['TravelEstimate'];
export type TravelFrom = Schemas['TravelFrom'];
export type Excluded = Schemas['Excluded'];
export type NotEligible = Schemas['NotEligible'];
export type DispatchJob = Schemas['JobView'];
export type DispatchMode = Schemas['DispatchMode'];
