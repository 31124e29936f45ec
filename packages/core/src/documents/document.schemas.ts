import { z } from 'zod';

/**
 * A printable document: its bytes (application/pdf) and the file name it is
 * offered under. Never JSON: the API serves it as a PDF (apps/api documents-routes.ts).
 */
export const PdfFile = z.object({
  filename: z.string().regex(/^[\w.-]+$/),
  bytes: z.instanceof(Buffer),
});
export type PdfFile = z.output<typeof PdfFile>;
