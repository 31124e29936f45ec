import { route } from '../trpc/meta.ts';
import { router, staffProcedure } from '../trpc/procedures.ts';
import { MAX_REPORT_DAYS, SalesReport, SalesReportQuery } from './report.schemas.ts';
import * as reports from './report.service.ts';

const tags: ['reports'] = ['reports'];

export const reportRouter = router({
  sales: staffProcedure('owner')
    .meta(
      route({
        method: 'GET',
        path: '/reports/sales',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['invoices', 'payments', 'shop'] },
        tags,
        summary: 'Sales of a period: revenue and tax by category, payments and refunds by method, what is still owed',
        description:
          `From the invoices issued in the period (from and to: days, UTC, both included; at most ${MAX_REPORT_DAYS} days) that ` +
          'are not void: their count, revenue by category, discounts, tax by category, the average invoice (rounded half-up ' +
          'to the cent) and their outstanding balance as of now; and the payments received and refunds given in the period, ' +
          'by method, on invoices that are not void.',
      }),
    )
    .input(SalesReportQuery)
    .output(SalesReport)
    .query(({ ctx, input }) => reports.salesReport(ctx.services, input)),
});
