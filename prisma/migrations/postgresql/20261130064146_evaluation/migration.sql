-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "pledgeId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "fullName" TEXT NOT NULL,
    "titleKey" TEXT,
    "reason" TEXT,
    "proposedById" INTEGER NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "decision" TEXT,
    "decidedTitle" TEXT,
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evaluation_unitId_idx" ON "Evaluation"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_campaignId_subscriberId_key" ON "Evaluation"("campaignId", "subscriberId");

