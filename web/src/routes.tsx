// The route table. Each area is its own chunk, loaded on first visit, so the
// public top page stays small.
import type { ComponentType } from 'preact';
import type { Role } from './api';
import { STAFF_ROLES, FACILITY_ROLES } from './nav';
import { Top } from './pages/Top';

type Mod = { default: ComponentType<any> };
export type RouteDef = {
  path: string;
  load: () => Promise<Mod>;
  /** Signed-in only; a role list restricts it further. */
  auth?: 'any' | Role[];
};

const pick = (p: Promise<any>, name: string) => p.then((m) => ({ default: m[name] }));
const info = () => import('./pages/Info');
const auth = () => import('./pages/Auth');
const register = () => import('./pages/Register');
const account = () => import('./pages/Account');
const staff = () => import('./pages/Staff');
const facility = () => import('./pages/Facility');
const review = () => import('./pages/FacilityReview');
const offers = () => import('./pages/Offers');
const offerForm = () => import('./pages/OfferForm');
const offerReview = () => import('./pages/OfferReview');
const jobs = () => import('./pages/Jobs');
const seeker = () => import('./pages/Seeker');
const seekerMatch = () => import('./pages/SeekerMatch');
const seekerPublic = () => import('./pages/SeekerPublic');
const apps = () => import('./pages/Applications');
const appDetail = () => import('./pages/ApplicationDetail');
const notify = () => import('./pages/Notify');
const notifyFacility = () => import('./pages/NotifyFacility');
const notifyCenter = () => import('./pages/NotifyCenter');
const queue = () => import('./pages/CaseworkQueue');
const person = () => import('./pages/CaseworkPerson');
const casework = () => import('./pages/Casework');
const helpdesk = () => import('./pages/HelpDesk');
const reports = () => import('./pages/Reports');
const CENTER: Role[] = ['counselor', 'center_admin'];

export const routes: RouteDef[] = [
  { path: '/', load: () => Promise.resolve({ default: Top }) },
  { path: '/centers', load: () => import('./pages/Centers').then((m) => ({ default: m.Centers })) },
  { path: '/jobs', load: () => pick(jobs(), 'JobSearch') },
  { path: '/offers/:offerNo', load: () => pick(jobs(), 'OfferPage') },
  { path: '/events', load: () => pick(info(), 'Events') },
  { path: '/trainings', load: () => pick(info(), 'Trainings') },
  { path: '/privacy', load: () => pick(info(), 'Privacy') },
  { path: '/accessibility', load: () => pick(info(), 'Accessibility') },
  { path: '/login', load: () => pick(auth(), 'Login') },
  { path: '/verify', load: () => pick(auth(), 'Verify') },
  { path: '/password-reset', load: () => pick(auth(), 'PasswordReset') },
  { path: '/register', load: () => pick(register(), 'RegisterChoice') },
  { path: '/register/nurse', load: () => pick(register(), 'RegisterNurse') },
  { path: '/register/facility', load: () => pick(register(), 'RegisterFacility') },
  { path: '/home', load: () => pick(account(), 'Home'), auth: 'any' },
  { path: '/settings', load: () => pick(account(), 'Settings'), auth: 'any' },
  { path: '/me/views', load: () => pick(account(), 'MyViews'), auth: ['seeker'] },
  { path: '/people', load: () => pick(staff(), 'People'), auth: STAFF_ROLES },
  { path: '/people/:id', load: () => pick(staff(), 'Person'), auth: STAFF_ROLES },
  { path: '/people/:id/audit', load: () => pick(staff(), 'PersonAudit'), auth: STAFF_ROLES },
  { path: '/facility/profile', load: () => pick(facility(), 'FacilityProfile'), auth: FACILITY_ROLES },
  { path: '/facility/offers', load: () => pick(offers(), 'OfferList'), auth: FACILITY_ROLES },
  { path: '/facility/offers/new', load: () => pick(offerForm(), 'OfferNew'), auth: FACILITY_ROLES },
  { path: '/facility/offers/:id', load: () => pick(offers(), 'OfferDetail'), auth: FACILITY_ROLES },
  { path: '/facility/offers/:id/edit', load: () => pick(offerForm(), 'OfferEdit'), auth: FACILITY_ROLES },
  { path: '/center/offers', load: () => pick(offerReview(), 'OfferQueue'), auth: ['counselor', 'center_admin'] },
  { path: '/center/offers/:id', load: () => pick(offerReview(), 'OfferReviewPage'), auth: ['counselor', 'center_admin'] },
  { path: '/center/reviews', load: () => pick(review(), 'ReviewQueue'), auth: ['counselor', 'center_admin'] },
  { path: '/facilities', load: () => pick(review(), 'FacilityList'), auth: STAFF_ROLES },
  { path: '/facilities/:id', load: () => pick(review(), 'FacilityDetail'), auth: STAFF_ROLES },
  // Job seekers, matching and the placement flow.
  { path: '/unsubscribe', load: () => pick(seekerPublic(), 'Unsubscribe') },
  { path: '/seeker/renew', load: () => pick(seekerPublic(), 'RenewByToken') },
  { path: '/seeker/profile', load: () => pick(seeker(), 'SeekerProfile'), auth: ['seeker'] },
  { path: '/seeker/conditions', load: () => pick(seeker(), 'SeekerProfile'), auth: ['seeker'] },
  { path: '/seeker/applications', load: () => pick(seeker(), 'MyApplications'), auth: ['seeker'] },
  { path: '/seeker/applications/:id', load: () => pick(appDetail(), 'ApplicationPage'), auth: ['seeker'] },
  { path: '/seeker/matches', load: () => pick(seekerMatch(), 'Matches'), auth: ['seeker'] },
  { path: '/seeker/saved-searches', load: () => pick(seekerMatch(), 'SavedSearches'), auth: ['seeker'] },
  { path: '/facility/applicants', load: () => pick(apps(), 'FacilityApplicants'), auth: FACILITY_ROLES },
  { path: '/facility/applicants/:id', load: () => pick(appDetail(), 'ApplicationPage'), auth: FACILITY_ROLES },
  { path: '/center/applications', load: () => pick(apps(), 'CenterApplications'), auth: CENTER },
  { path: '/center/referral-requests', load: () => pick(apps(), 'ReviewQueue'), auth: CENTER },
  { path: '/center/retention', load: () => pick(apps(), 'RetentionTasks'), auth: CENTER },
  { path: '/center/applications/:id', load: () => pick(appDetail(), 'ApplicationPage'), auth: CENTER },
  { path: '/center/matching', load: () => pick(seekerMatch(), 'MatchingOffers'), auth: CENTER },
  { path: '/center/offers/:id/candidates', load: () => pick(seekerMatch(), 'Candidates'), auth: CENTER },
  { path: '/center/seekers/new', load: () => pick(apps(), 'CounterRegistration'), auth: CENTER },
  // Notifications (届出) and casework (相談員の業務).
  { path: '/notify', load: () => pick(notify(), 'NotifyPage') },
  { path: '/notify/confirm', load: () => pick(notify(), 'NotifyConfirm') },
  { path: '/seeker/notifications', load: () => pick(notify(), 'MyNotifications'), auth: ['seeker'] },
  { path: '/seeker/notifications/:id', load: () => pick(notify(), 'MyNotification'), auth: ['seeker'] },
  { path: '/facility/notifications', load: () => pick(notifyFacility(), 'FacilityNotifications'), auth: FACILITY_ROLES },
  { path: '/facility/notifications/upload', load: () => pick(notifyFacility(), 'FacilityNotificationUpload'), auth: FACILITY_ROLES },
  { path: '/facility/notifications/new', load: () => pick(notifyFacility(), 'FacilityNotificationNew'), auth: FACILITY_ROLES },
  { path: '/facility/notifications/:id', load: () => pick(notifyFacility(), 'FacilityNotification'), auth: FACILITY_ROLES },
  { path: '/center/notifications', load: () => pick(notifyCenter(), 'CenterNotifications'), auth: CENTER },
  { path: '/center/notifications/new', load: () => pick(notifyCenter(), 'CenterNotificationNew'), auth: CENTER },
  { path: '/center/notifications/:id', load: () => pick(notifyCenter(), 'CenterNotification'), auth: CENTER },
  { path: '/center/queue', load: () => pick(queue(), 'TaskQueue'), auth: CENTER },
  { path: '/center/people/:id/timeline', load: () => pick(person(), 'PersonTimeline'), auth: CENTER },
  { path: '/center/consultations', load: () => pick(casework(), 'Consultations'), auth: CENTER },
  { path: '/center/consultations/:id', load: () => pick(casework(), 'ConsultationDetail'), auth: CENTER },
  { path: '/center/settings', load: () => pick(casework(), 'CenterSettings'), auth: ['center_admin'] },
  // Statistics and reports (統計・年報).
  { path: '/center/reports', load: () => pick(reports(), 'Reports'), auth: CENTER },
  { path: '/central/reports', load: () => pick(reports(), 'Reports'), auth: ['central', 'sysadmin'] },
  // The central help desk: centers ask, central answers (sysadmin reads).
  { path: '/center/helpdesk', load: () => pick(helpdesk(), 'HelpDeskList'), auth: CENTER },
  { path: '/center/helpdesk/:id', load: () => pick(helpdesk(), 'HelpDeskTicket'), auth: CENTER },
  { path: '/central/helpdesk', load: () => pick(helpdesk(), 'HelpDeskList'), auth: ['central', 'sysadmin'] },
  { path: '/central/helpdesk/:id', load: () => pick(helpdesk(), 'HelpDeskTicket'), auth: ['central', 'sysadmin'] },
  // Areas that later issues fill.
  { path: '/seeker/:area', load: () => pick(info(), 'Soon'), auth: ['seeker'] },
  { path: '/facility/:area', load: () => pick(info(), 'Soon'), auth: FACILITY_ROLES },
  { path: '/center/:area', load: () => pick(info(), 'Soon'), auth: ['counselor', 'center_admin'] },
  { path: '/central/:area', load: () => pick(info(), 'Soon'), auth: ['central'] },
  { path: '/admin/:area', load: () => pick(info(), 'Soon'), auth: ['sysadmin'] },
];
