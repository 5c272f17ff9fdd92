/** The workbench's pages (hash routes, so the API serves one page at /app). */
import { createRouter, createWebHashHistory } from 'vue-router';
import ClaimPage from './pages/ClaimPage.vue';
import FileClaimPage from './pages/FileClaimPage.vue';
import HouseholdPage from './pages/HouseholdPage.vue';
import HouseholdSearchPage from './pages/HouseholdSearchPage.vue';
import QueuePage from './pages/QueuePage.vue';
import NoticePage from './pages/NoticePage.vue';
import UsersPage from './pages/UsersPage.vue';
import PartnersPage from './pages/PartnersPage.vue';
import ExcelPage from './pages/ExcelPage.vue';
import DisastersPage from './pages/DisastersPage.vue';
import MonitoringPage from './pages/MonitoringPage.vue';
import OpsPage from './pages/OpsPage.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'queue', component: QueuePage },
    { path: '/households', name: 'households', component: HouseholdSearchPage },
    { path: '/households/:householdId', name: 'household', component: HouseholdPage, props: true },
    { path: '/households/:householdId/file', name: 'file', component: FileClaimPage, props: true },
    { path: '/claims/:claimNo', name: 'claim', component: ClaimPage, props: true },
    { path: '/notices/:village?', name: 'notices', component: NoticePage, props: true },
    { path: '/excel', name: 'excel', component: ExcelPage },
    { path: '/disasters/:eventId?', name: 'disasters', component: DisastersPage, props: true },
    { path: '/monitoring/:referralId?', name: 'monitoring', component: MonitoringPage, props: true },
    { path: '/admin/users', name: 'users', component: UsersPage },
    { path: '/partners', name: 'partners', component: PartnersPage },
    { path: '/ops', name: 'ops', component: OpsPage },
    { path: '/:rest(.*)', redirect: '/' },
  ],
});
