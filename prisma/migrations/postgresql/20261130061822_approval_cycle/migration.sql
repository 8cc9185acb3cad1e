-- AlterTable
ALTER TABLE "Pledge" ADD COLUMN     "review" TEXT NOT NULL DEFAULT 'pending',
ADD COLUMN     "reviewNote" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" INTEGER;

-- CreateIndex
CREATE INDEX "Pledge_review_unitId_idx" ON "Pledge"("review", "unitId");

