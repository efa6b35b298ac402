import { NestFactory } from '@nestjs/core';
import { Module, Controller, Get } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { x } from '@app/returns';
@Controller() class C { @Get('/') hi() { return { ok: x }; } }
@Module({ controllers: [C] }) class M {}
async function main() { const app = await NestFactory.create<NestFastifyApplication>(M, new FastifyAdapter()); await app.listen(3999, '127.0.0.1'); console.log('up'); await app.close(); }
void main();
