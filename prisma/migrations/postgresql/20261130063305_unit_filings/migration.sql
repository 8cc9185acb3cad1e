-- CreateTable
CREATE TABLE "UnitFiling" (
    "id" SERIAL NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "phaseNumber" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "note" TEXT,
    "submittedById" INTEGER NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "UnitFiling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnitFilingEvent" (
    "id" SERIAL NOT NULL,
    "filingId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "UnitFilingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnitFiling_unitId_idx" ON "UnitFiling"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "UnitFiling_campaignId_phaseNumber_unitId_kind_key" ON "UnitFiling"("campaignId", "phaseNumber", "unitId", "kind");

-- CreateIndex
CREATE INDEX "UnitFilingEvent_filingId_idx" ON "UnitFilingEvent"("filingId");

-- AddForeignKey
ALTER TABLE "UnitFilingEvent" ADD CONSTRAINT "UnitFilingEvent_filingId_fkey" FOREIGN KEY ("filingId") REFERENCES "UnitFiling"("id") ON DELETE CASCADE ON UPDATE CASCADE;

