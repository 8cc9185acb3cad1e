-- CreateTable
CREATE TABLE "UnitFiling" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "campaignId" INTEGER NOT NULL,
    "phaseNumber" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "note" TEXT,
    "submittedById" INTEGER NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" DATETIME
);

-- CreateTable
CREATE TABLE "UnitFilingEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "filingId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "UnitFilingEvent_filingId_fkey" FOREIGN KEY ("filingId") REFERENCES "UnitFiling" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "UnitFiling_unitId_idx" ON "UnitFiling"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "UnitFiling_campaignId_phaseNumber_unitId_kind_key" ON "UnitFiling"("campaignId", "phaseNumber", "unitId", "kind");

-- CreateIndex
CREATE INDEX "UnitFilingEvent_filingId_idx" ON "UnitFilingEvent"("filingId");

