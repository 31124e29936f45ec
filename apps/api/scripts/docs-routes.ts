import { readFile, writeFile } from 'node:fs/promises';
import { everyRestRoute } from '../src/documents-routes.ts';
import { README_FILE, routeTableOf, withRouteTable } from './readme-routes.ts';

await writeFile(README_FILE, withRouteTable(await readFile(README_FILE, 'utf8'), routeTableOf(everyRestRoute())));
console.log(`wrote the route table of ${README_FILE}`);
