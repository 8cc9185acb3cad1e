-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN "campaignId" INTEGER;
ALTER TABLE "Broadcast" ADD COLUMN "phaseNumber" INTEGER;
ALTER TABLE "Broadcast" ADD COLUMN "sendAt" DATETIME;

-- CreateTable
CREATE TABLE "ConsoleAudit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "unitId" INTEGER,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE INDEX "ConsoleAudit_at_idx" ON "ConsoleAudit"("at");

