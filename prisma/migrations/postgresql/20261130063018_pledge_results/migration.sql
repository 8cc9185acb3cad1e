-- CreateTable
CREATE TABLE "PledgeResult" (
    "id" SERIAL NOT NULL,
    "pledgeId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "subscriberId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PledgeResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PledgeResult_pledgeId_item_key" ON "PledgeResult"("pledgeId", "item");

