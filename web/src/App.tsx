// The routes of the staff app. Every signed-in page lives inside AppLayout; admin pages
// declare the permission they need (the navigation uses the same permissions).
import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router-dom';
import { setCsrfToken, setUnauthenticatedHandler } from './api/client.js';
import { AppLayout, RequirePermission } from './components/AppLayout.js';
import { AccountPage } from './pages/AccountPage.js';
import { AssignmentPage } from './pages/AssignmentPage.js';
import { AgenciesPage } from './pages/AgenciesPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { BoundariesPage } from './pages/BoundariesPage.js';
import { CaseCategoriesPage } from './pages/CaseCategoriesPage.js';
import { CaseCreatePage } from './pages/CaseCreatePage.js';
import { CasePage } from './pages/CasePage.js';
import { CasesPage } from './pages/CasesPage.js';
import { CaseWorkflowPage } from './pages/CaseWorkflowPage.js';
import { ConstituentCreatePage, ConstituentEditPage } from './pages/ConstituentForm.js';
import { ConstituentPage } from './pages/ConstituentPage.js';
import { ConstituentsPage } from './pages/ConstituentsPage.js';
import { CustomFieldsPage } from './pages/CustomFieldsPage.js';
import { DedupRulesPage } from './pages/DedupRulesPage.js';
import { DuplicatesPage } from './pages/DuplicatesPage.js';
import { EmailIntakePage } from './pages/EmailIntakePage.js';
import { HomePage } from './pages/HomePage.js';
import { ImportPage } from './pages/ImportPage.js';
import { InsightsAlertPage } from './pages/InsightsAlertPage.js';
import { InsightsAlertsPage } from './pages/InsightsAlertsPage.js';
import { InsightsMapPage } from './pages/InsightsMapPage.js';
import { InsightsPerformancePage } from './pages/InsightsPerformancePage.js';
import { InsightsReportPage } from './pages/InsightsReportPage.js';
import { InsightsTrendsPage } from './pages/InsightsTrendsPage.js';
import { InsightsWorkloadPage } from './pages/InsightsWorkloadPage.js';
import { InboxItemPage } from './pages/InboxItemPage.js';
import { InboxPage } from './pages/InboxPage.js';
import { JobsPage } from './pages/JobsPage.js';
import { LogContactPage } from './pages/LogContactPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MergePage } from './pages/MergePage.js';
import { LettersPage } from './pages/LettersPage.js';
import { MyTasksPage } from './pages/MyTasksPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { OfficePage } from './pages/OfficePage.js';
import { Open311Page } from './pages/Open311Page.js';
import { PublicFormPage } from './pages/PublicFormPage.js';
import { SlaPage } from './pages/SlaPage.js';
import { SmsSettingsPage } from './pages/SmsSettingsPage.js';
import { ReplyTemplatesPage } from './pages/ReplyTemplatesPage.js';
import { TeamsPage } from './pages/TeamsPage.js';
import { TokensPage } from './pages/TokensPage.js';
import { TriagePage } from './pages/TriagePage.js';
import { TriageRulesPage } from './pages/TriageRulesPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { SESSION_KEY } from './session.js';

export function createAppRouter(queryClient: QueryClient) {
  const router = createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    {
      element: <AppLayout />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'inbox', element: <RequirePermission permission="inbox.read"><InboxPage /></RequirePermission> },
        { path: 'inbox/:id', element: <RequirePermission permission="inbox.read"><InboxItemPage /></RequirePermission> },
        { path: 'log-contact', element: <RequirePermission permission="inbox.work"><LogContactPage /></RequirePermission> },
        { path: 'cases', element: <RequirePermission permission="case.read"><CasesPage /></RequirePermission> },
        { path: 'cases/new', element: <RequirePermission permission="case.write"><CaseCreatePage /></RequirePermission> },
        { path: 'cases/:id', element: <RequirePermission permission="case.read"><CasePage /></RequirePermission> },
        { path: 'tasks', element: <RequirePermission permission="case.read"><MyTasksPage /></RequirePermission> },
        { path: 'letters', element: <RequirePermission permission="case.read"><LettersPage /></RequirePermission> },
        { path: 'constituents', element: <RequirePermission permission="constituent.read"><ConstituentsPage /></RequirePermission> },
        { path: 'constituents/duplicates', element: <RequirePermission permission="constituent.merge"><DuplicatesPage /></RequirePermission> },
        { path: 'constituents/duplicates/merge', element: <RequirePermission permission="constituent.merge"><MergePage /></RequirePermission> },
        { path: 'constituents/duplicates/rules', element: <RequirePermission permission="registry.configure"><DedupRulesPage /></RequirePermission> },
        { path: 'constituents/new', element: <RequirePermission permission="constituent.write"><ConstituentCreatePage /></RequirePermission> },
        { path: 'constituents/import', element: <RequirePermission permission="constituent.import"><ImportPage /></RequirePermission> },
        { path: 'constituents/:id', element: <RequirePermission permission="constituent.read"><ConstituentPage /></RequirePermission> },
        { path: 'constituents/:id/edit', element: <RequirePermission permission="constituent.write"><ConstituentEditPage /></RequirePermission> },
        { path: 'insights', element: <RequirePermission permission="insights.read"><InsightsPerformancePage /></RequirePermission> },
        { path: 'insights/trends', element: <RequirePermission permission="insights.read"><InsightsTrendsPage /></RequirePermission> },
        { path: 'insights/workload', element: <RequirePermission permission="insights.read"><InsightsWorkloadPage /></RequirePermission> },
        { path: 'insights/emerging', element: <RequirePermission permission="insights.read"><InsightsAlertsPage /></RequirePermission> },
        { path: 'insights/emerging/:id', element: <RequirePermission permission="insights.read"><InsightsAlertPage /></RequirePermission> },
        { path: 'insights/map', element: <RequirePermission permission="insights.read"><InsightsMapPage /></RequirePermission> },
        { path: 'admin/insights-report', element: <RequirePermission permission="insights.manage"><InsightsReportPage /></RequirePermission> },
        { path: 'admin/custom-fields', element: <RequirePermission permission="registry.configure"><CustomFieldsPage /></RequirePermission> },
        { path: 'admin/case-categories', element: <RequirePermission permission="casework.configure"><CaseCategoriesPage /></RequirePermission> },
        { path: 'admin/agencies', element: <RequirePermission permission="casework.configure"><AgenciesPage /></RequirePermission> },
        { path: 'admin/case-workflow', element: <RequirePermission permission="casework.configure"><CaseWorkflowPage /></RequirePermission> },
        { path: 'admin/assignment', element: <RequirePermission permission="casework.configure"><AssignmentPage /></RequirePermission> },
        { path: 'admin/triage', element: <RequirePermission permission="triage.configure"><TriagePage /></RequirePermission> },
        { path: 'admin/triage/rules', element: <RequirePermission permission="triage.configure"><TriageRulesPage /></RequirePermission> },
        { path: 'admin/sla', element: <RequirePermission permission="sla.configure"><SlaPage /></RequirePermission> },
        { path: 'admin/reply-templates', element: <RequirePermission permission="templates.draft"><ReplyTemplatesPage /></RequirePermission> },
        { path: 'admin/users', element: <RequirePermission permission="user.read"><UsersPage /></RequirePermission> },
        { path: 'admin/teams', element: <RequirePermission permission="team.read"><TeamsPage /></RequirePermission> },
        { path: 'admin/tokens', element: <RequirePermission permission="token.manage"><TokensPage /></RequirePermission> },
        { path: 'admin/audit', element: <RequirePermission permission="audit.read"><AuditPage /></RequirePermission> },
        { path: 'admin/jobs', element: <RequirePermission permission="jobs.read"><JobsPage /></RequirePermission> },
        { path: 'admin/boundaries', element: <RequirePermission permission="geo.manage"><BoundariesPage /></RequirePermission> },
        { path: 'admin/email-intake', element: <RequirePermission permission="intake.configure"><EmailIntakePage /></RequirePermission> },
        { path: 'admin/sms', element: <RequirePermission permission="sms.configure"><SmsSettingsPage /></RequirePermission> },
        { path: 'admin/open311', element: <RequirePermission permission="intake.configure"><Open311Page /></RequirePermission> },
        { path: 'admin/web-form', element: <RequirePermission permission="intake.configure"><PublicFormPage /></RequirePermission> },
        { path: 'admin/office', element: <RequirePermission permission="office.update"><OfficePage /></RequirePermission> },
        { path: 'account', element: <AccountPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);

  // Any 401 (expired or revoked session) sends the user to sign in, then back here.
  setUnauthenticatedHandler(() => {
    const { pathname, search } = router.state.location;
    if (pathname === '/login') return;
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(SESSION_KEY, null);
    void router.navigate('/login', { replace: true, state: { from: pathname + search, notice: 'Your session has ended. Sign in again to continue.' } });
  });
  return router;
}
