import { Module } from '@nestjs/common';
import { StatesModule } from '../states/states.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';

@Module({
  imports: [StatesModule],
  controllers: [CyclesController],
  providers: [CyclesRepository, CyclesService],
  exports: [CyclesService, CyclesRepository],
})
export class CyclesModule {}
