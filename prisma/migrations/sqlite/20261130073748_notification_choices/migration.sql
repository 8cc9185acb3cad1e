-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "choices" TEXT;

