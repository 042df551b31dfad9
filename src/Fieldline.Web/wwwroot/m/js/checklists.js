// The on-site checklists of regulations.md, with the numbers taken from the order's policy version.
// `block: true` items must be ticked before the phone lets the order be completed (the regulation's "(block)").
import { t } from './i18n.js';

export function checklists(order, policy) {
  const p = policy?.parameters || {};
  const s = p.safety || {};
  const ins = p.installation || {};
  const belt = s.safetyBeltAboveMeters ?? 2.5;
  const sign = s.lockoutSignText || '禁止开机,正在检修';
  const screws = ins.indoorPlateMinScrews || { brick: 7, reinforcedConcrete: 5 };
  const insulation = ins.ceilingCopperPipeInsulationMm ?? 13;
  const testRun = p.completion?.testRunMinMinutes ?? 30;
  const lists = [{
    id: 'safety', rule: 'SAF',
    items: [
      { key: 'powerOff', block: true, rule: 'SAF-12/18', text: t('check.powerOff', sign) },
      { key: 'safetyBelt', block: true, rule: 'SAF-01', text: t('check.safetyBelt', belt) },
      { key: 'toolsSecured', rule: 'SAF-05', text: t('check.toolsSecured') },
      { key: 'leakageCheck', block: true, rule: 'SAF-07/10', text: t('check.leakageCheck') },
    ],
  }];
  if (order.type === 'install') {
    lists.push({
      id: 'quality', rule: 'INS',
      items: [
        { key: 'modelMatchesInvoice', block: true, rule: 'INS-01', text: t('check.modelMatchesInvoice') },
        { key: 'breakerAndEarth', block: true, rule: 'INS-02/17', text: t('check.breakerAndEarth', ins.dedicatedBreakerAndRcdFromHP ?? 3) },
        // "(waiver)" items: left unticked, the customer who insists signs a confirmation (INS-03 must; INS-09/ONS-09 preferably).
        { key: 'capacityMatchesRoom', rule: 'INS-03', waiver: 'capacityMismatch', text: t('check.capacityMatchesRoom') },
        { key: 'notAboveElectronics', rule: 'INS-09', waiver: 'aboveElectronics', text: t('check.notAboveElectronics') },
        { key: 'positionGood', rule: 'ONS-09', waiver: 'badPosition', text: t('check.positionGood') },
        { key: 'powerOnTest', block: true, rule: 'INS-04', text: t('check.powerOnTest') },
        { key: 'plateScrews', block: true, rule: 'INS-10/20', text: t('check.plateScrews', screws.brick, screws.reinforcedConcrete) },
        { key: 'insulation', rule: 'INS-11/13', text: t('check.insulation', insulation) },
        { key: 'drainage', rule: 'INS-06/07', text: t('check.drainage') },
        { key: 'testRun', block: true, rule: 'INS-23', text: t('check.testRun', testRun) },
      ],
    });
  } else {
    lists.push({
      id: 'finish', rule: 'ONS',
      items: [
        { key: 'testRun', block: true, rule: 'ONS-19', text: t('check.testRunAfterRepair') },
        { key: 'sitesCleaned', rule: 'ONS-19', text: t('check.sitesCleaned') },
      ],
    });
  }
  return lists;
}

/**
 * The customer's signed confirmations an installation may need (INS-03/09/16, ONS-09), each with whether the completion
 * needs it now: a waiver item left unticked (INS-03 always, INS-09/ONS-09 where the policy makes it required), and a
 * pre-laid pipe job where the policy asks for it. The server checks the same from the checklist it is sent.
 */
export function confirmations(order, policy, draft) {
  if (order.type !== 'install') return [];
  const ins = policy?.parameters?.installation || {};
  const badRequired = ins.customerWaiverForBadPosition === 'required';
  const pipesRequired = ins.preLaidPipeCustomerConfirmationRequired === true;
  const unticked = (key) => !draft.checklist[key];
  return [
    { topic: 'capacityMismatch', rule: 'INS-03', needed: unticked('capacityMatchesRoom'), must: true },
    { topic: 'preLaidPipes', rule: 'INS-16', needed: !!draft.preLaid && pipesRequired, must: pipesRequired },
    { topic: 'aboveElectronics', rule: 'INS-09', needed: unticked('notAboveElectronics') && badRequired, must: badRequired },
    { topic: 'badPosition', rule: 'ONS-09', needed: unticked('positionGood') && badRequired, must: badRequired },
  ];
}

/**
 * INS-03 / SC-19: the largest room (m²) a unit of `hp` suits by the company's capacity table
 * (`installation.capacityRoomAreaTable`, rows {hp, maxAreaM2}): the row of the largest capacity not above it; null when
 * the table is empty or does not say. The server decides the same from the numbers it is sent.
 */
export function maxRoomArea(policy, hp) {
  const rows = (policy?.parameters?.installation?.capacityRoomAreaTable || []).filter((r) => r?.hp > 0 && r?.maxAreaM2 > 0).sort((a, b) => a.hp - b.hp);
  const row = rows.filter((r) => r.hp <= hp).pop();
  return row ? row.maxAreaM2 : null;
}
