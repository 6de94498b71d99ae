import 'reflect-metadata';
import { runServiceProcess } from '@crm/platform/bootstrap';
import { service } from './index';

void runServiceProcess(service);
