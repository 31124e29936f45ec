import { writeFile } from 'node:fs/promises';
import { buildPostmanCollection, COLLECTION_FILE, serializeCollection } from './postman-collection.ts';

await writeFile(COLLECTION_FILE, serializeCollection(await buildPostmanCollection()));
console.log(`wrote ${COLLECTION_FILE}`);
