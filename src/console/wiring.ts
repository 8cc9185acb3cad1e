// The console's store from the composition root's repositories (plus the console's own queries).
import type { OpenDatabase, Repositories } from "../db/index.js";
import { PrismaConsoleQueries } from "../db/console-repository.js";
import type { ConsoleStore } from "./store.js";

export const consoleStore = (db: OpenDatabase, repositories: Repositories): ConsoleStore => ({ ...repositories, queries: new PrismaConsoleQueries(db.prisma, db.provider) });
