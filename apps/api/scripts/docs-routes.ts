import { readFile, writeFile } from 'node:fs/promises';
import { appRouter } from '@mechanic-shop/core';
import { README_FILE, routeTableOf, withRouteTable } from './readme-routes.ts';

await writeFile(README_FILE, withRouteTable(await readFile(README_FILE, 'utf8'), routeTableOf(appRouter)));
console.log(`wrote the route table of ${README_FILE}`);
