-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN     "campaignId" INTEGER,
ADD COLUMN     "phaseNumber" INTEGER,
ADD COLUMN     "sendAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ConsoleAudit" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "unitId" INTEGER,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "ConsoleAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsoleAudit_at_idx" ON "ConsoleAudit"("at");

